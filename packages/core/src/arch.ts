import type { FitOptions, FitResult } from './train/fit.js';
import type { tf } from './tf.js';

/**
 * The contract between a family and the `neurozoo train` command: each family describes
 * its architectures with this type, and the CLI loads the data set, calls `train`, then
 * exports, verifies and reports. Core knows no family; families register by export.
 */

/** A labelled split to train or test on; @neurozoo/datasets' `Dataset` extends it. */
export interface TrainingData {
  name: string;
  /** Samples, row-major, shape `xShape`. */
  x: Float32Array;
  /** `[n, ...]`, e.g. `[60000, 28, 28, 1]` for MNIST or `[150, 4]` for Iris. */
  xShape: number[];
  /** Class ids in `0 .. numClasses - 1`: one per sample, or `yShape` of them (e.g. next-token ids of a language model). */
  y: Int32Array;
  /** Shape of `y` when a sample has several targets, e.g. [n, T]; absent for one class id per sample. */
  yShape?: number[];
  numClasses: number;
  /** Human-readable name of each class id, where known. */
  classNames?: string[];
}

/** What the CLI passes to {@link ArchitectureSpec.train}. */
export interface TrainRequest {
  train: TrainingData;
  test: TrainingData;
  epochs: number;
  batchSize: number;
  seed: number;
  verbose: boolean | 'auto';
  checkpointDir?: string;
  resume?: boolean;
}

/** The fit options a {@link TrainRequest} sets, as {@link fitOptionsOf} returns them. */
export type RequestFitOptions = Required<Pick<FitOptions, 'epochs' | 'batchSize' | 'seed' | 'verbose'>> & Pick<FitOptions, 'checkpoint' | 'resume'>;

/**
 * What every architecture passes on to core's fit from a `neurozoo train` request: epochs,
 * batch size, seed, verbosity and, when the request names a checkpoint folder, checkpointing
 * into it and `resume`.
 * @example fit(model, x, y, { ...fitOptionsOf(request), callbacks: [...] });
 */
export function fitOptionsOf(request: TrainRequest): RequestFitOptions {
  const { epochs, batchSize, seed, verbose, checkpointDir, resume } = request;
  return { epochs, batchSize, seed, verbose, ...(checkpointDir ? { checkpoint: { dir: checkpointDir }, resume } : {}) };
}

/** What an architecture hands back after training. */
export interface TrainedArchitecture {
  model: tf.LayersModel;
  /** Metrics on the test split, e.g. `{ accuracy: 0.981, loss: 0.06 }`. */
  testMetrics: Record<string, number>;
  fit?: FitResult;
  /** Inputs to compare tfjs and onnxruntime on (a slice of the test split); one tensor per model input. */
  sampleInputs: tf.Tensor | tf.Tensor[];
  /** Stored in the ONNX metadata_props, e.g. preprocessing and class names. */
  metadata: Record<string, string>;
  /**
   * Test metrics measured in onnxruntime on the exported bytes, replacing the CLI's classifier
   * check (accuracy and agreement with tfjs): e.g. a language model's perplexity.
   */
  evaluateOnnx?(onnx: Uint8Array): Promise<Record<string, number | string>>;
  /** Further files to write beside model.onnx, by file name (e.g. a decode-step graph, a vocabulary). */
  files?: Record<string, Uint8Array | string>;
}

/** What `neurozoo generate <dir>` passes to {@link ArchitectureSpec.generate}. */
export interface GenerateRequest {
  /** The folder `neurozoo train` wrote (model.onnx, report.json and the architecture's files). */
  dir: string;
  prompt: string;
  /** Tokens to generate. */
  maxTokens: number;
  /** 0 = greedy; otherwise softmax temperature of sampling. */
  temperature: number;
  /** Sample among the k most likely tokens only (0 or absent: all). */
  topK?: number;
  /** Sample from the smallest set of tokens whose probability reaches p (absent: 1). */
  topP?: number;
  seed: number;
  /** Use the key/value-cache decode graph where there is one (default true). */
  cache?: boolean;
}

/** What {@link ArchitectureSpec.generate} returns. */
export interface GenerateResult {
  /** The generated continuation (without the prompt). */
  text: string;
  tokens: number;
  tokensPerSecond: number;
  /** Device that ran the model. */
  provider: string;
}

/** What `neurozoo predict <dir> INPUT...` passes to {@link ArchitectureSpec.predict}. */
export interface PredictRequest {
  /** The folder `neurozoo train` wrote (model.onnx, report.json and the architecture's files). */
  dir: string;
  /**
   * The inputs as given on the command line: e.g. words to pronounce (one prediction each), or
   * the words of one sentence to tag. The architecture says how it reads them.
   */
  inputs: string[];
  /** Beam width of sequence decoders; 1 or absent: greedy. Architectures without a search ignore it. */
  beam?: number;
}

/** One row of a {@link PredictResult}: an input (or one part of it, e.g. a word of a sentence) and what the model made of it. */
export interface PredictRow {
  /** The input this row is about, as given. */
  input: string;
  /** The output symbols, e.g. phonemes of a word, or the tag of a word. */
  output: string[];
  /** The input as the model's symbols (e.g. its letters): the columns of `attention`. */
  inputSymbols?: string[];
  /** Log-probability of `output` under the model, where it scores sequences. */
  logProb?: number;
  /** Attention weights [output step][input symbol] (the end-of-sequence step included), where the model has attention. */
  attention?: number[][];
}

/** What {@link ArchitectureSpec.predict} returns. */
export interface PredictResult {
  rows: PredictRow[];
  /** Device that ran the model. */
  provider: string;
}

/** What `neurozoo inspect <dir>` passes to {@link ArchitectureSpec.inspect}. */
export interface InspectRequest {
  /** The trained model, loaded from `<dir>/tfjs`. */
  model: tf.LayersModel;
  /** The test split of the data set it was trained on (for feature maps, reconstructions, ...). */
  test: TrainingData;
  /** Folder to write pictures into (`<dir>/inspect`). */
  outDir: string;
}

/** One trainable architecture of a family, e.g. `mlp` of @neurozoo/perceptron. */
export interface ArchitectureSpec {
  name: string;
  description: string;
  /** Data sets it can train on; the first is the default. */
  datasets: string[];
  defaults: { epochs: number; batchSize: number };
  train(request: TrainRequest): Promise<TrainedArchitecture>;
  /** Writes pictures of a trained model (kernels, feature maps, reconstructions, attention) and returns their paths. */
  inspect?(request: InspectRequest): Promise<string[]>;
  /** Generates a continuation of a prompt with onnxruntime from a trained folder (sequence models). */
  generate?(request: GenerateRequest): Promise<GenerateResult>;
  /**
   * Maps input strings to output symbols with onnxruntime from a trained folder (e.g. words to
   * phonemes, a sentence's words to tags). Throws a typed error naming bad input (empty, too
   * long, unknown symbols).
   */
  predict?(request: PredictRequest): Promise<PredictResult>;
}
