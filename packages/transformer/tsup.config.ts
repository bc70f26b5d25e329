export { default } from '../../tsup.family';
