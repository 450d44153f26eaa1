// wasm-ld's link map (--Map): which input file (archive member) each function and data chunk came from, and so
// which library. Lines are "Addr Off Size Out In Symbol": a section name after one space, an input after nine,
// a symbol (demangled, as in the name section) after seventeen.
const line = /^\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+) (\s*)(.*)$/;

// libwebp's members by name: encoder-only, decoder-only, and the rest (dsp, utils, sharpyuv) that both use.
const webpEncoder = /_enc|enc_|^(enc\.|mux|picture|histogram|backward|cost|predictor|near_lossless|token|syntax|iterator|quant)/;
const webpDecoder = /_dec|dec_|^(dec\.|vp8_|vp8l_dec|alpha_dec|buffer|idec|io_dec|tree_dec|upsampling|frame_dec|demux|anim)/;
const webpPart = (member) => (webpEncoder.test(member) ? 'encoder'
  : webpDecoder.test(member) ? 'decoder' : 'shared (dsp, utils, sharpyuv)');

// Input file → library; libjpeg-turbo's members are split the same way (jc*/jf*: compress, jd*/ji*: decompress).
const rules = [
  [/libwebp(demux|mux)?\.a\((.*)\)/, (m) => `libwebp ${webpPart(m[2])}`],
  [/libjpeg\.a\((j[cf]\w*)/, () => 'libjpeg-turbo encoder'],
  [/libjpeg\.a\((j[di]\w*|jquant)/, () => 'libjpeg-turbo decoder'],
  [/libjpeg\.a/, () => 'libjpeg-turbo shared'],
  [/libpng16\.a/, () => 'libpng'],
  [/libaom\.a/, () => 'aom (AV1 encoder)'],
  [/libdav1d\.a/, () => 'dav1d (AV1 decoder)'],
  [/libde265\.a/, () => 'libde265 (HEVC decoder)'],
  [/liblcms2\.a/, () => 'lcms2 (ICC profiles)'],
  [/libz\.a/, () => 'zlib'],
  [/libc\+\+(abi)?\.a/, () => 'libc++'],
  [/libclang_rt|compiler-rt/, () => 'compiler-rt'],
  [/libc\.a|crt1/, () => 'wasi-libc'],
  [/libedgepix_core\.a\(gif\.cpp/, (m, symbol) => (/stbi/.test(symbol) ? 'stb_image (GIF)' : 'edgepix core')],
  [/libedgepix_core\.a\((avif|heic|hevc|heif|heif_image|isobmff|yuv)\.cpp/, () => 'edgepix HEIF container (AVIF, HEIC) + YUV'],
  [/libedgepix_core\.a|edgepix_module\.dir/, () => 'edgepix core'],
  [/<internal>/, () => 'linker (merged constants, ctors)'],
];

export function libraryOf(input, symbol = '') {
  for (const [pattern, name] of rules) {
    const match = input.match(pattern);
    if (match) return name(match, symbol);
  }
  return input.replace(/.*\//, '');
}

export function parseLinkMap(text) {
  const functionLibrary = new Map();
  const data = [];
  let section = '';
  let input = null;
  for (const raw of text.split('\n')) {
    const m = raw.match(line);
    if (!m) continue;
    const [, , offset, size, indent, rest] = m;
    if (indent.length === 0) section = rest;
    else if (indent.length === 8) {
      const symbol = rest.match(/:\((.*)\)$/)?.[1] ?? '';
      input = { file: rest.replace(/:\(.*\)$/, ''), library: libraryOf(rest.replace(/:\(.*\)$/, ''), symbol) };
      if (section === 'CODE') functionLibrary.set(symbol, input.library);
      else if (section === '.rodata' || section === '.data') { // .bss has no bytes in the file
        data.push({ library: input.library, offset: parseInt(offset, 16), size: parseInt(size, 16) });
      }
    } else if (indent.length === 16 && input && section === 'CODE') {
      functionLibrary.set(rest, libraryOf(input.file, rest));
    }
  }
  return { functionLibrary, data };
}
