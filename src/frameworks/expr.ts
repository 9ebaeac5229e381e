// A tiny expression language for manifests' computed defaults and checks. Data, never
// code: a number, a string, a boolean, or one operator object:
//   {cluster: workers}            a fact about the cluster (workers, master_vcpus, worker_ram_mb, ...)
//   {param: replicas}             a property of this framework (after defaults)
//   {min: [a, b]} {max: [...]} {add: [...]} {mul: [...]}
//   {lte: [a, b]} {lt: ..} {gte: ..} {gt: ..} {eq: ..} {and: [...]} {or: [...]} {not: a}
export type Expr = number | string | boolean | { [op: string]: unknown };

export type Facts = Record<string, number | string | boolean>;

export class ExprError extends Error {
  readonly code = 'EXPR_INVALID';
}

const num = (v: unknown, where: string): number => {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ExprError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  return v;
};

export function evaluate(e: Expr, cluster: Facts, params: Facts): number | string | boolean {
  if (typeof e !== 'object' || e === null) return e;
  const entries = Object.entries(e);
  if (entries.length !== 1) throw new ExprError(`an expression object has exactly one operator: ${JSON.stringify(e)}`);
  const [op, arg] = entries[0]!;
  const list = (): (number | string | boolean)[] => {
    if (!Array.isArray(arg) || arg.length === 0) throw new ExprError(`${op}: expected a list of operands`);
    return arg.map((a) => evaluate(a as Expr, cluster, params));
  };
  const pair = (): [number, number] => {
    const l = list();
    if (l.length !== 2) throw new ExprError(`${op}: expected two operands`);
    return [num(l[0], op), num(l[1], op)];
  };
  switch (op) {
    case 'cluster': {
      const v = cluster[String(arg)];
      if (v === undefined) throw new ExprError(`unknown cluster fact ${JSON.stringify(arg)} (known: ${Object.keys(cluster).join(', ')})`);
      return v;
    }
    case 'param': {
      const v = params[String(arg)];
      if (v === undefined) throw new ExprError(`property ${JSON.stringify(arg)} has no value`);
      return v;
    }
    case 'min': return Math.min(...list().map((x) => num(x, op)));
    case 'max': return Math.max(...list().map((x) => num(x, op)));
    case 'add': return list().reduce<number>((s, x) => s + num(x, op), 0);
    case 'mul': return list().reduce<number>((s, x) => s * num(x, op), 1);
    case 'lte': { const [a, b] = pair(); return a <= b; }
    case 'lt': { const [a, b] = pair(); return a < b; }
    case 'gte': { const [a, b] = pair(); return a >= b; }
    case 'gt': { const [a, b] = pair(); return a > b; }
    case 'eq': { const l = list(); return l.length === 2 && l[0] === l[1]; }
    case 'and': return list().every((x) => x === true);
    case 'or': return list().some((x) => x === true);
    case 'not': return evaluate(arg as Expr, cluster, params) !== true;
    default: throw new ExprError(`unknown operator ${JSON.stringify(op)}`);
  }
}

/** The names an expression refers to, to check manifests at start-up. */
export function references(e: Expr): { cluster: string[]; params: string[] } {
  const out = { cluster: [] as string[], params: [] as string[] };
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (typeof x !== 'object' || x === null) return;
    for (const [op, arg] of Object.entries(x)) {
      if (op === 'cluster') out.cluster.push(String(arg));
      else if (op === 'param') out.params.push(String(arg));
      else walk(arg);
    }
  };
  walk(e);
  return out;
}
