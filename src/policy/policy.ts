// Who may do what, from the caller's Keystone roles in the project, in the spirit of
// oslo.policy files: each rule names the roles that grant it (etc/sm.json "policy"). A
// cluster's secrets are shown to the user who created it and to the roles of
// disco:show_secrets; everyone else allowed to read sees that they exist, not their value.
import { DomainError } from '../errors/domain-error.js';

export const RULES = [
  'disco:list', 'disco:get', 'disco:events', 'disco:create', 'disco:delete',
  'disco:scale', 'disco:suspend', 'disco:resume', 'disco:set_expiry', 'disco:show_secrets',
] as const;
export type Rule = typeof RULES[number];
export type PolicyConfig = Record<Rule, string[]>;

const READ = ['reader', 'member', 'admin'];
const CHANGE = ['member', 'admin'];

/** OpenStack's default personas: a reader looks, a member changes, secrets stay with their creator (and admins). */
export const DEFAULT_POLICY: PolicyConfig = {
  'disco:list': READ, 'disco:get': READ, 'disco:events': READ,
  'disco:create': CHANGE, 'disco:delete': CHANGE, 'disco:scale': CHANGE, 'disco:suspend': CHANGE,
  'disco:resume': CHANGE, 'disco:set_expiry': CHANGE, 'disco:show_secrets': ['admin'],
};

/** Whoever asks: their user id and their roles in the project (from Keystone). */
export interface Subject { userId: string; roles: readonly string[] }

export class Policy {
  private readonly rules: Map<Rule, Set<string>>;

  constructor(config: Partial<PolicyConfig> = {}) {
    this.rules = new Map(RULES.map((r) => [r, new Set((config[r] ?? DEFAULT_POLICY[r]).map((x) => x.toLowerCase()))]));
  }

  allows(who: Subject, rule: Rule): boolean {
    const granted = this.rules.get(rule)!;
    return who.roles.some((r) => granted.has(r.toLowerCase()));
  }

  /** A 403 saying which roles the rule needs and which the caller has. */
  enforce(who: Subject, rule: Rule): void {
    if (this.allows(who, rule)) return;
    const needs = [...this.rules.get(rule)!];
    throw new DomainError('FORBIDDEN', `${rule} needs ${needs.length ? `one of the roles ${needs.join(', ')}` : 'a role no one is given'} ` +
      `in the project; your roles: ${who.roles.length ? who.roles.join(', ') : 'none'}`);
  }

  /** Whether `who` is shown the secret values of a cluster created by `creatorId`. */
  showsSecrets(who: Subject, creatorId: string): boolean {
    return who.userId === creatorId || this.allows(who, 'disco:show_secrets');
  }
}

/** The rule a POST to a cluster needs: its action, or what its attributes change. */
export function changeRule(action: string | undefined, changesWorkers: boolean): Rule {
  switch (action) {
    case 'scale': return 'disco:scale';
    case 'suspend': return 'disco:suspend';
    case 'resume': return 'disco:resume';
    case undefined: return changesWorkers ? 'disco:scale' : 'disco:set_expiry';
    default: return 'disco:scale'; // an unknown action is refused after this check; it needs a changer all the same
  }
}
