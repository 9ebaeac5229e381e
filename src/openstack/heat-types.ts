// Heat v1 shapes, translated to camelCase at the edge.
export interface StackRef { name: string; id: string }

export interface Stack extends StackRef {
  status: string;              // e.g. CREATE_COMPLETE
  statusReason: string;
  createdAt: string | undefined;
  updatedAt: string | undefined;
  parameters: Record<string, string>;
  /** Output values by key (present on a single-stack GET). */
  outputs: Record<string, unknown>;
  /** Output errors by key, when Heat could not compute an output. */
  outputErrors: Record<string, string>;
  tags: string[];
  timeoutMins: number | undefined;
}

export interface StackInput {
  template: Record<string, unknown> | string;
  files?: Record<string, string>;
  environment?: Record<string, unknown> | string;
  parameters?: Record<string, unknown>;
  timeoutMins?: number;
  disableRollback?: boolean;
  tags?: string[];
}

export interface StackResource {
  name: string;
  type: string;
  status: string;
  statusReason: string;
  physicalId: string;
  /** The stack that holds the resource (differs from the root for nested resources). */
  stackName: string | undefined;
  stackId: string | undefined;
  updatedAt: string | undefined;
}

export interface StackEvent {
  id: string;
  time: string;
  resourceName: string;
  physicalId: string;
  status: string;
  statusReason: string;
  stackName: string | undefined;
  stackId: string | undefined;
}

export interface ValidationResult {
  description: string | undefined;
  parameters: Record<string, Record<string, unknown>>;
}

export interface ListStacksFilter {
  name?: string;
  status?: string;
  tags?: string[];
  limit?: number;
  showNested?: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? v as Json : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const opt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The stack a resource or event belongs to, from its "stack" link (.../stacks/NAME/ID). */
function stackOf(links: unknown): { stackName: string | undefined; stackId: string | undefined } {
  const link = Array.isArray(links) ? links.map(obj).find((l) => l.rel === 'stack') : undefined;
  const m = link && /\/stacks\/([^/]+)\/([^/?]+)/.exec(s(link.href));
  return { stackName: m ? decodeURIComponent(m[1]!) : undefined, stackId: m ? m[2] : undefined };
}

export function toStack(raw: unknown): Stack {
  const r = obj(raw);
  const outputs: Record<string, unknown> = {};
  const outputErrors: Record<string, string> = {};
  for (const o of Array.isArray(r.outputs) ? r.outputs.map(obj) : []) {
    const key = s(o.output_key);
    if (o.output_error) outputErrors[key] = s(o.output_error);
    else outputs[key] = o.output_value;
  }
  return {
    name: s(r.stack_name), id: s(r.id), status: s(r.stack_status), statusReason: s(r.stack_status_reason),
    createdAt: opt(r.creation_time), updatedAt: opt(r.updated_time),
    parameters: obj(r.parameters) as Record<string, string>, outputs, outputErrors,
    tags: Array.isArray(r.tags) ? r.tags.map(s) : [],
    timeoutMins: typeof r.timeout_mins === 'number' ? r.timeout_mins : undefined,
  };
}

export function toResource(raw: unknown): StackResource {
  const r = obj(raw);
  return {
    name: s(r.resource_name), type: s(r.resource_type), status: s(r.resource_status),
    statusReason: s(r.resource_status_reason), physicalId: s(r.physical_resource_id),
    updatedAt: opt(r.updated_time), ...stackOf(r.links),
  };
}

export function toEvent(raw: unknown): StackEvent {
  const r = obj(raw);
  return {
    id: s(r.id), time: s(r.event_time), resourceName: s(r.resource_name),
    physicalId: s(r.physical_resource_id), status: s(r.resource_status),
    statusReason: s(r.resource_status_reason), ...stackOf(r.links),
  };
}

export function stackInputBody(i: Partial<StackInput>): Json {
  return {
    ...(i.template === undefined ? {} : { template: i.template }),
    ...(i.files ? { files: i.files } : {}),
    ...(i.environment === undefined ? {} : { environment: i.environment }),
    ...(i.parameters ? { parameters: i.parameters } : {}),
    ...(i.timeoutMins === undefined ? {} : { timeout_mins: i.timeoutMins }),
    ...(i.disableRollback === undefined ? {} : { disable_rollback: i.disableRollback }),
    ...(i.tags ? { tags: i.tags.join(',') } : {}),
  };
}
