/**
 * Reads an ONNX model's metadata_props straight from its protobuf bytes (ModelProto field 14,
 * StringStringEntryProto { key = 1, value = 2 }), so the runtime needs no protobuf library.
 */
import { OnnxFormatError } from '../errors.js';

function varint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= bytes.length) throw new OnnxFormatError(`The model bytes end inside a varint at byte ${pos}`);
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

/** Calls `onField(field, start, end)` for each length-delimited field in bytes[from, to); skips the rest. */
function fields(bytes: Uint8Array, from: number, to: number, onField: (field: number, start: number, end: number) => void): void {
  let pos = from;
  while (pos < to) {
    const [tag, p] = varint(bytes, pos);
    pos = p;
    const wire = tag & 7;
    const field = Math.floor(tag / 8);
    if (wire === 0) pos = varint(bytes, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = varint(bytes, pos);
      pos = start + len;
      if (pos > to) throw new OnnxFormatError(`A field of the model bytes runs to byte ${pos}, past the end of its message (${to})`);
      onField(field, start, pos);
    } else throw new OnnxFormatError(`Protobuf wire type ${wire} at byte ${pos} is not one ONNX uses (0, 1, 2, 5)`);
  }
}

/** The metadata_props of ONNX ModelProto bytes as a key -> value record. */
export function readMetadataProps(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = new TextDecoder();
  fields(bytes, 0, bytes.length, (field, start, end) => {
    if (field !== 14) return;
    let key = '';
    let value = '';
    fields(bytes, start, end, (f, s, e) => {
      if (f === 1) key = text.decode(bytes.subarray(s, e));
      if (f === 2) value = text.decode(bytes.subarray(s, e));
    });
    out[key] = value;
  });
  return out;
}
