// Flat config: typescript-eslint recommended rules plus the layer rule from STYLE.md section 1.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureLayers = ['ingest', 'analysis', 'models', 'powertrain'];
const layerRule = (layer, forbidden) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((f) =>
          f === 'node'
            ? { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'zlib'], message: `src/${layer} must not use Node built-ins (it runs in the browser too).` }
            : { group: [`**/${f}/**`, `**/${f}`], message: `src/${layer} must not import src/${f} (layer rule, STYLE.md section 1).` },
        ),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md section 2).' },
      ],
    },
  },
  layerRule('core', ['node', 'ingest', 'analysis', 'models', 'powertrain', 'arbiter', 'store', 'app', 'cli', 'server']),
  ...pureLayers.map((l) => layerRule(l, ['node', 'arbiter', 'store', 'app', 'cli', 'server'])),
  layerRule('arbiter', ['store', 'app', 'cli', 'server']),
  layerRule('store', ['app', 'cli', 'server']),
  layerRule('app', ['cli', 'server']),
  { files: ['vitest.config.ts', 'eslint.config.js', 'web/vite.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
