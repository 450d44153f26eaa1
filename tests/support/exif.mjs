// EXIF blocks and JPEGs that carry them, written byte by byte for tests that check which metadata survives
// delivery (GPS above all). The core and the Worker tests both use it.
//   exifTiff({ model, gps, littleEndian })   a TIFF structure: IFD0 (Model, and a GPS IFD pointer when gps)
//   withExif(jpeg, tiff)                      the JPEG with an APP1 "Exif\0\0" segment right after its SOI
//   jpegWithGps(jpeg, options)                both at once

// Field types: [code, bytes per value].
const TYPES = { byte: [1, 1], ascii: [2, 1], short: [3, 2], long: [4, 4], rational: [5, 8] };

/** Where the default photo was taken: 48° 51' 30" N, 2° 17' 40" E. */
export const DEFAULT_GPS = { latitude: [48, 51, 30], latitudeRef: 'N', longitude: [2, 17, 40], longitudeRef: 'E' };

/** A TIFF structure (no "Exif\0\0" prefix) with Model and, unless `gps` is null, a GPS IFD. */
export function exifTiff({ model = 'EdgepixCam 1', gps = DEFAULT_GPS, littleEndian = false } = {}) {
  const ifd0 = [{ tag: 0x0110, type: 'ascii', value: model }];
  const gpsIfd = gps && [
    { tag: 0x0000, type: 'byte', value: [2, 2, 0, 0] },
    { tag: 0x0001, type: 'ascii', value: gps.latitudeRef },
    { tag: 0x0002, type: 'rational', value: gps.latitude.map((part) => [part, 1]) },
    { tag: 0x0003, type: 'ascii', value: gps.longitudeRef },
    { tag: 0x0004, type: 'rational', value: gps.longitude.map((part) => [part, 1]) },
  ];
  const ifd0Size = ifdSize(gpsIfd ? ifd0.length + 1 : ifd0.length) + outOfLineSize(ifd0);
  if (gpsIfd) ifd0.push({ tag: 0x8825, type: 'long', value: [8 + ifd0Size] });
  const bytes = new Uint8Array(8 + ifd0Size + (gpsIfd ? ifdSize(gpsIfd.length) + outOfLineSize(gpsIfd) : 0));
  const view = new DataView(bytes.buffer);
  bytes.set(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]);
  view.setUint16(2, 42, littleEndian);
  view.setUint32(4, 8, littleEndian);
  const afterIfd0 = writeIfd(view, 8, ifd0, littleEndian);
  if (gpsIfd) writeIfd(view, afterIfd0, gpsIfd, littleEndian);
  return bytes;
}

/** `jpeg` with an APP1 EXIF segment holding `tiff`, inserted right after the SOI marker. */
export function withExif(jpeg, tiff) {
  const payload = new Uint8Array([...new TextEncoder().encode('Exif'), 0, 0, ...tiff]);
  const length = payload.length + 2;
  if (length > 0xffff) throw new RangeError('an EXIF block must fit one APP1 segment');
  const segment = new Uint8Array([0xff, 0xe1, length >> 8, length & 255, ...payload]);
  return new Uint8Array([...jpeg.subarray(0, 2), ...segment, ...jpeg.subarray(2)]);
}

export const jpegWithGps = (jpeg, options) => withExif(jpeg, exifTiff(options));

const ifdSize = (entries) => 2 + entries * 12 + 4;

const asciiBytes = (text) => [...new TextEncoder().encode(text), 0];
// The entry's count: characters with the terminator for ascii, else values (a rational is one value).
const valueCount = (entry) => (entry.type === 'ascii' ? asciiBytes(entry.value).length : entry.value.length);
const byteCount = (entry) => valueCount(entry) * TYPES[entry.type][1];

// Values over 4 bytes live after the IFD (padded to an even offset, as TIFF asks).
const outOfLineSize = (entries) =>
  entries.reduce((total, entry) => total + (byteCount(entry) > 4 ? byteCount(entry) + (byteCount(entry) & 1) : 0), 0);

function writeValues(view, at, entry, littleEndian) {
  if (entry.type === 'ascii' || entry.type === 'byte') {
    const values = entry.type === 'ascii' ? asciiBytes(entry.value) : entry.value;
    values.forEach((v, i) => view.setUint8(at + i, v));
  } else if (entry.type === 'short') {
    entry.value.forEach((v, i) => view.setUint16(at + i * 2, v, littleEndian));
  } else {
    const words = entry.type === 'rational' ? entry.value.flat() : entry.value;
    words.forEach((v, i) => view.setUint32(at + i * 4, v, littleEndian));
  }
}

// Writes the IFD at `at` and its out-of-line values after it; returns the offset after them. No next IFD.
function writeIfd(view, at, entries, littleEndian) {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  view.setUint16(at, sorted.length, littleEndian);
  let data = at + ifdSize(sorted.length);
  sorted.forEach((entry, i) => {
    const slot = at + 2 + i * 12;
    view.setUint16(slot, entry.tag, littleEndian);
    view.setUint16(slot + 2, TYPES[entry.type][0], littleEndian);
    view.setUint32(slot + 4, valueCount(entry), littleEndian);
    if (byteCount(entry) <= 4) {
      writeValues(view, slot + 8, entry, littleEndian);
    } else {
      view.setUint32(slot + 8, data, littleEndian);
      writeValues(view, data, entry, littleEndian);
      data += byteCount(entry) + (byteCount(entry) & 1);
    }
  });
  view.setUint32(at + 2 + sorted.length * 12, 0, littleEndian);
  return data;
}
