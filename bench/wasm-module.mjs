// Reads what the size breakdown needs from a wasm binary: its sections, the byte range of every function body,
// and the function names of a "name" custom section. Nothing else of the format is interpreted.
const SECTION = { custom: 0, import: 2, code: 10 };

function reader(bytes, position = 0) {
  const read = {
    get position() { return position; },
    skip(n) { position += n; },
    byte: () => bytes[position++],
    u32() {
      let result = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[position++];
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
      }
    },
    name() {
      const length = read.u32();
      const text = Buffer.from(bytes.buffer, bytes.byteOffset + position, length).toString('utf8');
      position += length;
      return text;
    },
  };
  return read;
}

/** Sections in file order: { id, name (custom sections), start, size } (start: first byte of the content). */
export function sections(bytes) {
  const read = reader(bytes, 8);
  const result = [];
  while (read.position < bytes.length) {
    const id = read.byte();
    const size = read.u32();
    const start = read.position;
    const name = id === SECTION.custom ? read.name() : undefined;
    result.push({ id, name, start, size });
    read.skip(start + size - read.position);
  }
  return result;
}

function importedFunctionCount(bytes, section) {
  if (!section) return 0;
  const read = reader(bytes, section.start);
  let functions = 0;
  for (let i = read.u32(); i > 0; i--) {
    read.name();
    read.name();
    const kind = read.byte();
    if (kind === 0) { functions++; read.u32(); } // function: type index
    else if (kind === 1) { read.byte(); limits(read); } // table: element type, limits
    else if (kind === 2) limits(read); // memory
    else if (kind === 3) { read.byte(); read.byte(); } // global: type, mutability
    else if (kind === 4) { read.byte(); read.u32(); } // tag: attribute, type index
  }
  return functions;
}

function limits(read) {
  const flags = read.byte();
  read.u32();
  if (flags & 1) read.u32();
}

function functionNames(bytes, section) {
  const names = new Map();
  if (!section) return names;
  const read = reader(bytes, section.start);
  read.name(); // "name"
  const end = section.start + section.size;
  while (read.position < end) {
    const kind = read.byte();
    const size = read.u32();
    const next = read.position + size;
    if (kind === 1) {
      for (let i = read.u32(); i > 0; i--) {
        const index = read.u32();
        names.set(index, read.name());
      }
    }
    read.skip(next - read.position);
  }
  return names;
}

/** Every defined function: { index, name, start, size } (the body's bytes, with its size prefix). */
export function functions(bytes) {
  const all = sections(bytes);
  const imported = importedFunctionCount(bytes, all.find((s) => s.id === SECTION.import));
  const names = functionNames(bytes, all.find((s) => s.id === SECTION.custom && s.name === 'name'));
  const code = all.find((s) => s.id === SECTION.code);
  const read = reader(bytes, code.start);
  const result = [];
  for (let i = 0, count = read.u32(); i < count; i++) {
    const start = read.position;
    const bodySize = read.u32();
    read.skip(bodySize);
    const index = imported + i;
    result.push({ index, name: names.get(index), start, size: read.position - start });
  }
  return result;
}

export const sectionSize = (bytes, id) => sections(bytes).find((s) => s.id === id)?.size ?? 0;
export const CODE_SECTION = SECTION.code;
