// The layers a newcomer can see, enforced in `npm test`:
//   renderer: app → features/<screen> → lib, ui, stream, api → shared
//   electron (main, preload, web host, CLI) → shared
// shared/ is browser-safe; a feature never reaches into another feature.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-browser-safe',
      comment: 'shared/ runs in the renderer too: no Node built-ins, no electron, nothing from the layers above it.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: '^(shared/|node_modules/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-main',
      comment: 'The renderer reaches main only through the IPC contract (shared/ipc).',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: '^(electron|test|bench|scripts)/' },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      from: { path: '^(electron|shared)/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'lower-layers-not-features-or-app',
      comment: 'lib, ui, stream and api are below the screens: they never import a feature or the app shell.',
      severity: 'error',
      from: { path: '^renderer/src/(lib|ui|stream|api)/' },
      to: { path: '^renderer/src/(features|app)/' },
    },
    {
      name: 'features-not-app',
      comment: 'A feature is wired by the app; it takes what it shares from lib, not from the app shell.',
      severity: 'error',
      from: { path: '^renderer/src/features/' },
      to: { path: '^renderer/src/app/' },
    },
    {
      name: 'feature-not-another-feature',
      comment: 'A feature never reaches into another; shared pieces move down to lib or ui.',
      severity: 'error',
      from: { path: '^renderer/src/features/([^/]+)/' },
      to: { path: '^renderer/src/features/', pathNot: '^renderer/src/features/$1/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles at run time. A cycle closed by an `import type` is erased by the compiler, so it is not one (viaOnly checks every edge of the cycle; dependencyTypesNot alone only checked the first).',
      severity: 'error',
      from: { path: '^(shared|electron|renderer)/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist|release)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
    },
  },
}
