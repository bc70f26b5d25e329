import { packageBuild } from '../../tsup.family';

export default packageBuild({
  index: 'src/index.ts',
  'runtime/node': 'src/runtime/node.ts',
  'runtime/web': 'src/runtime/web.ts',
  'testing/index': 'src/testing/index.ts',
  'serve/index': 'src/serve/index.ts',
});
