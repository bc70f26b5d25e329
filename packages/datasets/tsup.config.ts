import { packageBuild } from '../../tsup.family';

export default packageBuild({ index: 'src/index.ts' });
