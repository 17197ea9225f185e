// A local ESLint rule that enforces the import layering of DESIGN.md:
//   wire <- model <- {session, policy} <- rib <- vrf <- config <- {daemon, translate} <- api <- cli
// A module in src/<layer>/ may import from its own layer or from a layer of a strictly lower rank.
// Layers of equal rank (session and policy) may not import each other. wire/ imports nothing outside
// wire/ except Node's built-ins. log/ and config/ sit where their users need them.
import path from 'node:path';

/** Rank of each top-level folder under src/. Lower ranks are imported by higher ones. */
export const LAYER_RANK = {
  wire: 0,
  model: 1,
  log: 2,
  session: 3,
  // The kernel adapter (src/kernel: netlink, policy rules): an I/O module like the session sockets.
  kernel: 3,
  policy: 3,
  rib: 4,
  vrf: 5,
  config: 6,
  daemon: 7,
  // Router configs in and out (vrfleak import/export): config text <-> the config model, beside
  // the daemon (neither needs the other).
  translate: 7,
  api: 8,
  cli: 9,
};

function layerOf(file) {
  const norm = file.split(path.sep).join('/');
  const m = /(?:^|\/)src\/([^/]+)\//.exec(norm);
  return m ? m[1] : undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the src/ import layering of DESIGN.md' },
    messages: {
      upward:
        'Layering: src/{{from}} may not import from src/{{to}} (imports go downward only: wire <- model <- {session, policy} <- rib <- vrf <- daemon <- api <- cli).',
      sibling:
        'Layering: src/{{from}} and src/{{to}} are siblings of the same rank and may not import each other.',
      wirePure:
        'Layering: src/wire imports nothing outside src/wire except node: built-ins (got "{{spec}}").',
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const from = layerOf(filename);
    if (from === undefined || !(from in LAYER_RANK)) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (from === 'wire') {
        const isRelative = spec.startsWith('.');
        if (!isRelative && !spec.startsWith('node:')) {
          context.report({ node, messageId: 'wirePure', data: { spec } });
          return;
        }
      }
      if (!spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(filename), spec);
      const to = layerOf(target + (target.endsWith('/') ? '' : '/x'));
      const toNorm = target.split(path.sep).join('/');
      if (from === 'wire' && !/\/src\/wire(\/|$)/.test(toNorm)) {
        context.report({ node, messageId: 'wirePure', data: { spec } });
        return;
      }
      if (to === undefined || !(to in LAYER_RANK) || to === from) return;
      const rf = LAYER_RANK[from];
      const rt = LAYER_RANK[to];
      if (rt > rf) context.report({ node, messageId: 'upward', data: { from, to } });
      else if (rt === rf) context.report({ node, messageId: 'sibling', data: { from, to } });
    }
    return {
      ImportDeclaration(node) {
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
    };
  },
};
