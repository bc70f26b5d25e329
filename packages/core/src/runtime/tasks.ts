/**
 * The inputs and results of the tasks several families serve (classify, transcribe, generate,
 * encode), and the row classifier handler that perceptron and rbm-dbn register.
 */
import { ShapeError } from '../errors.js';
import { ClassifierModel } from './classifier.js';
import type { ModelFiles } from './model-files.js';
import type { TaskHandler } from './pipeline.js';
import type { SamplingOptions } from './sampling.js';
import type { CreateSessionOptions, ModelSource, ZooSession } from './types.js';

/**
 * What `classify` takes, by kind; a family adds its kinds by declaration merging
 * (`@neurozoo/cnn/runtime` adds images).
 */
export interface ClassifyInputs {
  /** One or more rows of features: a flat array of whole rows (the width is the model's), or one array per row. */
  rows: Float32Array | readonly Float32Array[];
}

/** Any input of `classify`. */
export type ClassifyInput = ClassifyInputs[keyof ClassifyInputs];

/** Per-call options of `classify`; families add theirs by declaration merging (cnn: `invert`). */
// biome-ignore lint/suspicious/noEmptyInterface: families merge their options into it
export interface ClassifyOptions {}

/** One sample's class. */
export interface ClassPrediction {
  /** Predicted class id (the largest output). */
  classId: number;
  /** Its name from the model's `neurozoo.classes` metadata ('7', 'Sneaker', ...), or the id as text. */
  label: string;
  /** Its output: a probability for a softmax model, a score otherwise. */
  probability: number;
  /** Every class's output. */
  probabilities: Float32Array;
}

/** Per-call options of `transcribe`. */
export interface TranscribeOptions {
  /** Beam width; 1 (default) is greedy decoding. */
  beam?: number;
}

/** One word's pronunciation. */
export interface Transcription {
  word: string;
  phonemes: string[];
  /** Target ids of the phonemes. */
  ids: number[];
  /** Log-probability of the decoded sequence. */
  logProb: number;
}

/** Per-call options of `generate`: sampling (greedy by default), length and seed. */
export interface GenerateTextOptions extends SamplingOptions {
  /** Tokens (characters) to generate (default 200). */
  maxTokens?: number;
  /** Seed of the sampling (default 0), so a seed always gives the same text. */
  seed?: number;
}

/** What `generate` returns. */
export interface TextGeneration {
  /** The generated text, without the prompt. */
  text: string;
  /** Ids of the generated tokens. */
  ids: number[];
  tokensPerSecond: number;
}

/** Per-call options of `encode` (none yet). */
export type EncodeOptions = Record<string, never>;

/** Row-major float data with its shape, batch first. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

/** The class names in a model's `neurozoo.classes` metadata, when it holds a JSON list. */
function classNames(model: ModelFiles): string[] | undefined {
  const text = model.metadata['neurozoo.classes'];
  try {
    const names = text === undefined ? undefined : JSON.parse(text);
    return Array.isArray(names) ? names.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/** Each row's {@link ClassPrediction} from row-major outputs [rows, classes]. */
function classPredictions(scores: Float32Array, classes: number, labels: readonly string[] | undefined): ClassPrediction[] {
  return Array.from({ length: scores.length / classes }, (_, n) => {
    const probabilities = scores.slice(n * classes, (n + 1) * classes);
    let classId = 0;
    for (let k = 1; k < classes; k++) if (probabilities[k] > probabilities[classId]) classId = k;
    return { classId, label: labels?.[classId] ?? String(classId), probability: probabilities[classId], probabilities };
  });
}

/** Flat rows for the row classifier: the array itself, or the rows joined (all of one width). */
function joinRows(input: ClassifyInput, width: number): { data: Float32Array; rows: number } {
  if (input instanceof Float32Array) {
    const rows = Number.isNaN(width) ? 1 : input.length / width;
    if (!Number.isInteger(rows) || rows < 1) throw new ShapeError(`Expected rows of ${width} features, got ${input.length} values`);
    return { data: input, rows };
  }
  if (!Array.isArray(input) || !input.every((r) => r instanceof Float32Array)) {
    throw new ShapeError('Expected a Float32Array of rows or an array of Float32Array rows (images need @neurozoo/cnn/runtime and a cnn model)');
  }
  const rows = input as readonly Float32Array[];
  const data = new Float32Array(rows.reduce((a, r) => a + r.length, 0));
  let at = 0;
  for (const r of rows) {
    data.set(r, at);
    at += r.length;
  }
  return { data, rows: rows.length };
}

/**
 * The `classify` handler of a family whose classifiers are single-input [batch, features] ->
 * [batch, classes] graphs (perceptron, rbm-dbn): core's {@link ClassifierModel}, with labels
 * from the `neurozoo.classes` metadata. It accepts the family's models that are neither
 * regressors nor one of its other graphs (`neurozoo.graph`, e.g. a Gibbs step).
 */
export function rowClassifierHandler(family: string, createSession: (model: ModelSource, options?: CreateSessionOptions) => Promise<ZooSession>): TaskHandler<'classify'> {
  return {
    task: 'classify',
    family,
    name: 'OnnxClassifier',
    accepts: (model) => model.metadata['neurozoo.task'] !== 'regression' && model.metadata['neurozoo.graph'] === undefined,
    async open(model, options) {
      const classifier = new ClassifierModel(await createSession(model.bytes, options));
      const labels = classNames(model);
      return {
        session: classifier.session,
        release: () => classifier.release(),
        async run(input) {
          const { data, rows } = joinRows(input, classifier.inputSize);
          const { probabilities } = await classifier.classify(data, rows);
          return classPredictions(probabilities, probabilities.length / rows, labels);
        },
      };
    },
  };
}
