// Which frameworks a cluster gets, in which order: the requested ones and everything they
// depend on, dependencies first, then by name (Kahn's algorithm, smallest name first).
// An unknown name or a cycle is refused with the chain that leads to it.
export class ResolveError extends Error {
  readonly code = 'FRAMEWORK_RESOLVE';
}

export interface Node { depends_on: string[] }

export function resolveOrder(all: ReadonlyMap<string, Node>, requested: readonly string[]): string[] {
  const closure = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (chain.includes(name)) throw new ResolveError(`dependency cycle: ${[...chain, name].join(' -> ')}`);
    const node = all.get(name);
    if (!node) {
      const via = chain.length ? ` (${[...chain, name].join(' -> ')})` : '';
      throw new ResolveError(`unknown framework ${name}${via}; known: ${[...all.keys()].sort().join(', ')}`);
    }
    if (closure.has(name)) return;
    for (const d of [...node.depends_on].sort()) visit(d, [...chain, name]);
    closure.add(name);
  };
  for (const r of [...requested].sort()) visit(r, []);

  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < closure.size) {
    const next = [...closure].filter((n) => !done.has(n) && all.get(n)!.depends_on.every((d) => done.has(d))).sort()[0];
    if (next === undefined) throw new ResolveError('dependency cycle'); // unreachable: visit() found cycles
    order.push(next);
    done.add(next);
  }
  return order;
}
