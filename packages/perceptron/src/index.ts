/**
 * @neurozoo/perceptron: the Rosenblatt perceptron, MLPs with ReLU/sigmoid and dropout, deep
 * nets, and backpropagation made visible. Deploy with `@neurozoo/perceptron/runtime`.
 * @packageDocumentation
 */
export { Perceptron, type PerceptronFitOptions, type PerceptronFitResult } from './perceptron.js';
export { mlp, type MlpConfig, type HiddenActivation } from './builders.js';
export { MLPClassifier, MLPRegressor, type EstimatorConfig, type ClassifierFitOptions } from './estimators.js';
export type { Features, Labels } from './data.js';
export * from './backprop.js';
export { architectures, perceptronArchitecture, mlpArchitecture } from './architectures.js';
