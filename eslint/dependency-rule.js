// The dependency rule of the project as one ESLint rule, `rapport/layers`. Every import — static,
// re-export, or dynamic `import()` with a literal path — is resolved to a path in the repository (or
// a package name) and checked against the layer of the importing file:
//
//   src/core        imports only src/core and no framework
//   src/analytics   imports only src/analytics and src/core (plain data and errors), no framework
//   src/store       imports src/store, src/core, src/analytics, src/digest; no config, context,
//                   adapter, channel, HTTP, job or CLI code
//   adapters/<x>    imports only adapters/<x>, src/core and src/mail: never another adapter, the
//                   store, Drizzle or the wiring (channels, HTTP, jobs, CLI)
//   elsewhere       adapters/ only from src/channels (the dispatcher is the one place that knows
//                   the channels), tests and benchmarks
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

const frameworks = [
  'fastify', '@fastify/', 'drizzle-orm', '@slack/', 'agenda', '@agendajs/', 'pg', '@electric-sql/', 'imapflow', 'nodemailer', 'smtp-server',
  'piscina', 'commander',
];
const dbDrivers = ['drizzle-orm', 'pg', '@electric-sql/', 'agenda', '@agendajs/'];

/** Is `spec` (a bare package specifier) one of these packages (a trailing '/' matches a scope)? */
const isPackage = (spec, list) => list.some((p) => (p.endsWith('/') ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));

/** The repository-relative path an import points to, without extension; null for packages. */
function target(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const abs = path.resolve(path.dirname(fromFile), spec);
  return path.relative(root, abs).split(path.sep).join('/').replace(/\.(js|ts|mjs)$/, '');
}

const under = (p, dir) => p === dir || p.startsWith(`${dir}/`);

/** The layer of a file and what it may not import: a message when the import breaks the rule, else null. */
function violation(file, spec) {
  const from = path.relative(root, file).split(path.sep).join('/');
  const to = target(file, spec);
  if (from.startsWith('test/') || from.startsWith('bench/') || from.startsWith('eslint/') || from.startsWith('scratch/')) return null;

  if (under(from, 'src/core')) {
    if (to === null) return isPackage(spec, frameworks) ? 'src/core depends on no framework (DEVELOPERS.md)' : null;
    return under(to, 'src/core') ? null : 'src/core imports only src/core: no store, wiring, channel or adapter code (DEVELOPERS.md)';
  }
  if (under(from, 'src/analytics')) {
    if (to === null) return isPackage(spec, frameworks) ? 'src/analytics is pure computation: no framework (DEVELOPERS.md)' : null;
    return under(to, 'src/analytics') || under(to, 'src/core') ? null : 'src/analytics is pure computation over plain data: it imports only src/analytics and src/core (DEVELOPERS.md)';
  }
  if (under(from, 'src/store')) {
    if (to === null) return isPackage(spec, ['fastify', '@fastify/', '@slack/', 'imapflow', 'nodemailer', 'piscina', 'commander']) ? 'src/store uses the database drivers only' : null;
    return ['src/store', 'src/core', 'src/analytics', 'src/digest'].some((d) => under(to, d))
      ? null
      : 'src/store implements the ports with Drizzle: it imports no config, context, adapter, channel, HTTP, job or CLI code (DEVELOPERS.md)';
  }
  const adapter = /^adapters\/([^/]+)/.exec(from)?.[1];
  if (adapter) {
    if (to === null) return isPackage(spec, dbDrivers) ? 'an adapter never touches the database: it returns InboundMessages and calls its ports' : null;
    if (under(to, `adapters/${adapter}`)) return null;
    if (under(to, 'adapters')) return 'an adapter never imports another adapter (DEVELOPERS.md)';
    return under(to, 'src/core') || under(to, 'src/mail') ? null : 'an adapter imports only its own folder, src/core and src/mail: never the store or the wiring (DEVELOPERS.md)';
  }
  if (to !== null && under(to, 'adapters') && !under(from, 'src/channels')) {
    return 'only the channels dispatcher (src/channels) imports adapters (DEVELOPERS.md)';
  }
  return null;
}

const layers = {
  meta: { type: 'problem', docs: { description: 'The dependency rule between layers (DEVELOPERS.md)' }, schema: [] },
  create(context) {
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const why = violation(context.filename, source.value);
      if (why) context.report({ node, message: `'${source.value}': ${why}.` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export const dependencyRule = { rules: { layers } };
export { violation };
