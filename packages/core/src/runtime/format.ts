/**
 * A cheap structural check that bytes look like a serialized ONNX ModelProto, without a
 * protobuf library: walk the top-level fields and check each tag, wire type and length.
 */

/** Field numbers of ModelProto (onnx.proto, ONNX 1.17) by wire type: 0 varint, 2 length-delimited. */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  ...[1, 5].map((f) => [f, 0] as const), // ir_version, model_version
  // producer_name, producer_version, domain, doc_string, graph, opset_import, metadata_props,
  // training_info, functions, configuration
  ...[2, 3, 4, 6, 7, 8, 14, 20, 25, 26].map((f) => [f, 2] as const),
]);

/** Reads a varint at `pos`; returns [value, next position] or null when it runs off the end. */
function varint(bytes: Uint8Array, pos: number): [number, number] | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) return null;
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  return null;
}

/**
 * Returns why `bytes` are not an ONNX model, or `null` when they look like one.
 * `complete` is false when `bytes` is only the head of a file: a field that runs past the end
 * then ends the walk instead of failing it.
 */
export function onnxFormatProblem(bytes: Uint8Array, complete: boolean): string | null {
  if (bytes.length === 0) return 'it is empty';
  let pos = 0;
  let fields = 0;
  let sawGraph = false;
  while (pos < bytes.length) {
    const tag = varint(bytes, pos);
    if (!tag) return complete ? 'it ends inside a protobuf field tag' : null;
    const field = Math.floor(tag[0] / 8);
    const wire = tag[0] % 8;
    const expected = MODEL_FIELDS.get(field);
    if (expected === undefined || expected !== wire) {
      const at = pos === 0 ? 'its first bytes are' : `byte ${pos} is`;
      return `${at} not a ModelProto field (tag 0x${tag[0].toString(16)}), so it is not a serialized ONNX model`;
    }
    pos = tag[1];
    if (wire === 0) {
      const v = varint(bytes, pos);
      if (!v) return complete ? 'it ends inside a varint field' : null;
      pos = v[1];
    } else {
      const len = varint(bytes, pos);
      if (!len) return complete ? 'it ends inside a field length' : null;
      if (len[1] + len[0] > bytes.length) {
        return complete ? `field ${field} claims ${len[0]} bytes but only ${bytes.length - len[1]} remain (truncated file?)` : null;
      }
      pos = len[1] + len[0];
    }
    if (field === 7) sawGraph = true;
    fields++;
  }
  if (complete && !sawGraph) return `it has ${fields} ModelProto field(s) but no graph`;
  return null;
}
