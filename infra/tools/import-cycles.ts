import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Fails when the modules of shared/ and functions/ import each other in a circle, type-only
 * imports included: a circle means two modules are one concern split in two, or a layer that
 * reaches back up (docs/developers/contributing.md). Run by `npm run lint`; no ESLint import plugin is
 * installed, and a cycle is a property of the whole graph, not of one file.
 *
 *   npx tsx infra/tools/import-cycles.ts          # exits 1 and lists each circle
 */

/** Module path (repository-relative, with extension) → the repository-relative modules it imports. */
export type ImportGraph = Map<string, string[]>;

const sourceExtensions = ['.ts', '.tsx'];

/** The relative module specifiers a TypeScript source imports or re-exports, in order. */
export function importedSpecifiers(source: string): string[] {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

/** The graph of `sources` (path → text); imports that leave the set (node_modules, JSON) are left out. */
export function importGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = path.posix.join(path.posix.dirname(from), specifier);
    const candidates = [base, ...sourceExtensions.map((extension) => base + extension), ...sourceExtensions.map((extension) => `${base}/index${extension}`)];
    return candidates.find((candidate) => sources.has(candidate));
  };
  const graph: ImportGraph = new Map();
  for (const [file, source] of sources) {
    const imports = importedSpecifiers(source)
      .map((specifier) => resolve(file, specifier))
      .filter((resolved): resolved is string => resolved !== undefined);
    graph.set(file, [...new Set(imports)]);
  }
  return graph;
}

/**
 * Every circle of the graph, one per strongly connected component of more than one module (or a
 * module importing itself), as one path round it that starts and ends at its first module in
 * sorted order.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  // Tarjan's algorithm, recursive: the graph is a few hundred modules deep at most.
  const visit = (module: string) => {
    index.set(module, counter);
    lowLink.set(module, counter);
    counter += 1;
    stack.push(module);
    onStack.add(module);
    for (const imported of graph.get(module) ?? []) {
      if (!index.has(imported)) {
        visit(imported);
        lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(imported)!));
      } else if (onStack.has(imported)) {
        lowLink.set(module, Math.min(lowLink.get(module)!, index.get(imported)!));
      }
    }
    if (lowLink.get(module) === index.get(module)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== module);
      const importsItself = (graph.get(module) ?? []).includes(module);
      if (component.length > 1 || importsItself) components.push(component);
    }
  };
  for (const module of [...graph.keys()].sort()) if (!index.has(module)) visit(module);

  return components.map((component) => circleThrough(graph, new Set(component))).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A shortest way from the component's first module back to itself, staying inside the component. */
function circleThrough(graph: ImportGraph, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const module = queue.shift()!;
    for (const imported of graph.get(module) ?? []) {
      if (!component.has(imported)) continue;
      if (imported === start) {
        const circle = [start];
        for (let step = module; step !== start; step = cameFrom.get(step)!) circle.splice(1, 0, step);
        return [...circle, start];
      }
      if (!cameFrom.has(imported) && imported !== start) {
        cameFrom.set(imported, module);
        queue.push(imported);
      }
    }
  }
  return [start, start];
}

function sourceFiles(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((entry) => {
    const relative = path.posix.join(folder, entry);
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(root, relative);
    return sourceExtensions.some((extension) => entry.endsWith(extension)) && !entry.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The import graph of the application code: shared/ and functions/. */
export function repositoryImportGraph(root: string, folders: readonly string[] = ['shared', 'functions']): ImportGraph {
  const files = folders.flatMap((folder) => sourceFiles(root, folder));
  return importGraph(new Map(files.map((file) => [file, readFileSync(path.join(root, file), 'utf8')])));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const cycles = importCycles(repositoryImportGraph(root));
  for (const cycle of cycles) process.stderr.write(`import cycle: ${cycle.join(' → ')}\n`);
  if (cycles.length > 0) {
    process.stderr.write(`${cycles.length} import cycle(s) in shared/ and functions/; see docs/developers/contributing.md\n`);
    process.exitCode = 1;
  }
}
