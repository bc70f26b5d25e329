/** Scoped use of onnxruntime sessions: what every CLI hook that opens a model needs. */

/** Anything that holds onnxruntime sessions until released (OnnxModel, OnnxEncoderDecoder, ...). */
export interface Releasable {
  release(): Promise<void>;
}

/**
 * Awaits `opened`, runs `use` on it and releases it afterwards, also when `use` throws, so a
 * failed prediction leaves no session behind.
 *
 * @example
 * const rows = await usingModel(OnnxTagger.load(path, vocab), (tagger) => tagger.tag(words));
 */
export async function usingModel<M extends Releasable, R>(opened: Promise<M>, use: (model: M) => Promise<R>): Promise<R> {
  const model = await opened;
  try {
    return await use(model);
  } finally {
    await model.release();
  }
}
