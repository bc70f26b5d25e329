import { packageBuild } from '../../tsup.family';

// No clean: dist/ also holds the addon (scripts/build-addon.mjs copies it there after
// tsup), and wiping it would break processes using it while a rebuild runs.
export default packageBuild({ index: 'src/index.ts' }, { clean: false, shims: true });
