/**
 * ONNX export. The RBM transform, the DBN feature extractor and the classifiers are tfjs models
 * (RbmHidden + Dense layers) that core's `exportOnnx` writes. The Gibbs step is written with
 * `OnnxGraph` directly and takes its noise as inputs, so it needs no RandomUniformLike (absent
 * from onnxruntime-web's WebGPU op list): inputs `v` [batch, visible], `noise_h` [batch, hidden]
 * (uniform), `noise_v` [batch, visible] (uniform; standard normal for Gaussian units); outputs
 * `h_prob`, `h_sample`, `v_prob`, `v_sample`, and for a DBN `image`: the top-down mean-field
 * pass of `v_prob` through the lower RBMs. Ops: MatMul, Add, Sigmoid, Less, Cast, Transpose-free.
 */
import { DEFAULT_OPSET, exportOnnx, OnnxGraph, tf } from '@neurozoo/core';
import type { DBN } from './dbn.js';
import type { RBM } from './rbm.js';

/** Options of {@link exportGibbsStep}. */
export interface GibbsExportOptions {
  /** Lower RBMs (first layer first) to add the `image` output: a top-down pass of `v_prob` (DBN generation). */
  down?: RBM[];
  opset?: number;
  metadata?: Record<string, string>;
}

const constant = (g: OnnxGraph, t: tf.Tensor, name: string) => g.initializer(t.dataSync() as Float32Array, t.shape, name);

/** One Gibbs step of `rbm` as an ONNX model fed its noise; see the module comment. */
export function exportGibbsStep(rbm: RBM, options: GibbsExportOptions = {}): Uint8Array {
  const g = new OnnxGraph(options.opset ?? DEFAULT_OPSET, 'rbm_gibbs_step');
  const v = g.input('v', ['batch', rbm.visible]);
  const noiseH = g.input('noise_h', ['batch', rbm.hidden]);
  const noiseV = g.input('noise_v', ['batch', rbm.visible]);
  const W = constant(g, rbm.W, 'W');
  const Wt = tf.tidy(() => tf.transpose(rbm.W));
  const WtName = constant(g, Wt, 'W_T');
  Wt.dispose();
  g.scope = 'up';
  const hProb = g.node('Sigmoid', [g.node('Add', [g.node('MatMul', [v, W]), constant(g, rbm.hb, 'hidden_bias')])]);
  const h = g.node('Cast', [g.node('Less', [noiseH, hProb])], { to: 1 });
  g.scope = 'down';
  const pre = g.node('Add', [g.node('MatMul', [h, WtName]), constant(g, rbm.vb, 'visible_bias')]);
  const gaussian = rbm.visibleType === 'gaussian';
  const vProb = gaussian ? pre : g.node('Sigmoid', [pre]);
  const vSample = gaussian ? g.node('Add', [vProb, noiseV]) : g.node('Cast', [g.node('Less', [noiseV, vProb])], { to: 1 });
  const named = (value: string, name: string) => g.renameValue(value, name) ?? value;
  g.output(named(hProb, 'h_prob'), ['batch', rbm.hidden]);
  g.output(named(h, 'h_sample'), ['batch', rbm.hidden]);
  const vProbName = named(vProb, 'v_prob');
  g.output(vProbName, ['batch', rbm.visible]);
  g.output(named(vSample, 'v_sample'), ['batch', rbm.visible]);
  const down = options.down ?? [];
  if (down.length > 0) {
    let x = vProbName;
    for (let i = down.length - 1; i >= 0; i--) {
      const r = down[i];
      g.scope = `top_down_${i + 1}`;
      const Wl = tf.tidy(() => tf.transpose(r.W));
      const y = g.node('Add', [g.node('MatMul', [x, constant(g, Wl, `W${i + 1}_T`)]), constant(g, r.vb, `visible_bias_${i + 1}`)]);
      Wl.dispose();
      x = r.visibleType === 'gaussian' ? y : g.node('Sigmoid', [y]);
    }
    g.output(named(x, 'image'), ['batch', down[0].visible]);
  }
  return g.toBytes({ metadata: { 'neurozoo.family': 'rbm-dbn', 'neurozoo.graph': 'gibbs-step', 'neurozoo.visibleType': rbm.visibleType, ...options.metadata } });
}

/** The DBN's top-RBM Gibbs step with the `image` output (generation); see {@link exportGibbsStep}. */
export function exportDbnSampler(dbn: DBN, options: Omit<GibbsExportOptions, 'down'> = {}): Uint8Array {
  return exportGibbsStep(dbn.rbms[dbn.rbms.length - 1], { ...options, down: dbn.rbms.slice(0, -1) });
}

/** Options of the transform exports: core's opset and metadata. */
type TransformExportOptions = { opset?: number; metadata?: Record<string, string> };

/** The feature graphs' metadata: the family and graph kind (what `pipeline('encode', ...)` recognises), then the caller's. */
const featuresMetadata = (options: TransformExportOptions): TransformExportOptions => ({
  ...options,
  metadata: { 'neurozoo.family': 'rbm-dbn', 'neurozoo.graph': 'features', ...options.metadata },
});

/** Exports a model built for the export alone, then disposes it. */
async function exportTemporary(model: tf.LayersModel, options: TransformExportOptions): Promise<Uint8Array> {
  try {
    return await exportOnnx(model, options);
  } finally {
    model.dispose();
  }
}

/** `rbm.transform` (hidden probabilities) as ONNX: MatMul + Add + Sigmoid. */
export function exportRbmTransform(rbm: RBM, options: TransformExportOptions = {}): Promise<Uint8Array> {
  return exportTemporary(rbm.transformModel(), featuresMetadata(options));
}

/** The DBN's feature extractor (top-layer hidden probabilities) as ONNX. */
export function exportDbnFeatures(dbn: DBN, options: TransformExportOptions = {}): Promise<Uint8Array> {
  return exportTemporary(dbn.featureModel(), featuresMetadata(options));
}
