import { mboxSha1 } from '@cairn/xapi';
import { DOMAINS, leafSkills } from './framework.js';
import {
  GROWTH_PATTERNS,
  PATTERN_SHAPES,
  type GrowthPattern,
  type Trajectory,
} from './latent-skill.js';
import type { SimulationOptions } from './options.js';
import type { Rng } from './random.js';
import type { SocialTool } from './vocabulary.js';

/** A team: its department, focus skills, and how it shifts its members' level and growth. */
export interface Team {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly focus: readonly string[];
  /** Added to every member's starting theta. */
  readonly levelEffect: number;
  /** Added to every member's theta change per 90 days. */
  readonly growthEffect: number;
  /** How likely each growth pattern is in this team (weights). */
  readonly patternWeights: Readonly<Record<GrowthPattern, number>>;
}

/** A department and its domains of skill. */
export interface Department {
  readonly id: string;
  readonly name: string;
  readonly domains: readonly string[];
}

/** A period of membership of a team; `to` is exclusive and absent for a current membership. */
export interface Membership {
  readonly team: string;
  readonly from: number;
  readonly to?: number;
}

/** An account in a social tool, used from day `from` to day `to` (exclusive) of the run. */
export interface ToolAccount {
  readonly tool: SocialTool;
  readonly name: string;
  readonly from: number;
  readonly to?: number;
  /** A second account used alongside the first: a share of the person's activity uses it. */
  readonly share?: number;
}

/** A person: identifiers across the tools, memberships, manager, latent skills. */
export interface Person {
  readonly id: string;
  readonly index: number;
  readonly name: string;
  readonly email: string;
  readonly emailSha1: string;
  readonly accounts: readonly ToolAccount[];
  readonly memberships: readonly Membership[];
  readonly manager?: string;
  readonly pattern: GrowthPattern;
  readonly trajectories: readonly Trajectory[];
  /** How active the person is in formal learning and in social tools (1 is typical). */
  readonly formalActivity: number;
  readonly socialActivity: number;
}

/** The simulated organisation. */
export interface Organisation {
  readonly name: string;
  readonly domain: string;
  readonly departments: readonly Department[];
  readonly teams: readonly Team[];
  readonly people: readonly Person[];
}

const FIRST = [
  'Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Femi', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemi',
  'Liam', 'Maya', 'Nico', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera',
  'Wen', 'Xavi', 'Yara', 'Zoe', 'Arjun', 'Bea', 'Carlos', 'Dana', 'Emil', 'Fatima',
]; // prettier-ignore
const LAST = [
  'Adams', 'Bauer', 'Costa', 'Diallo', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ivanova',
  'Jensen', 'Khan', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quist', 'Rossi',
  'Silva', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zhang',
]; // prettier-ignore

const DEPARTMENTS: readonly { name: string; domains: readonly string[] }[] = [
  { name: 'Engineering', domains: ['engineering', 'collaboration'] },
  { name: 'Data', domains: ['data', 'collaboration'] },
  { name: 'Product', domains: ['product', 'leadership'] },
  { name: 'Operations', domains: ['engineering', 'leadership'] },
  { name: 'Customer Success', domains: ['collaboration', 'product'] },
  { name: 'People', domains: ['leadership', 'collaboration'] },
];

const TEAM_NAMES = ['Atlas', 'Birch', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbour'];
const TEAM_SIZE = 8;
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

/** Tool usage: the share of people with an account, per tool. */
const TOOL_USE: Readonly<Record<SocialTool, number>> = {
  slack: 0.95,
  teams: 0.75,
  forum: 0.6,
  wiki: 0.7,
};

function toolAccountName(rng: Rng, tool: SocialTool, handle: string): string {
  switch (tool) {
    case 'slack':
      return `U${rng.token(10, UPPER)}`;
    case 'teams':
      return rng.uuid();
    case 'forum':
      return `${handle}${rng.int(1, 99)}`;
    case 'wiki':
      return rng.token(24, HEX);
  }
}

function buildTeams(rng: Rng, people: number): { departments: Department[]; teams: Team[] } {
  const teamCount = Math.max(1, Math.round(people / TEAM_SIZE));
  const departmentCount = Math.min(DEPARTMENTS.length, Math.max(1, Math.ceil(teamCount / 3)));
  const departments = DEPARTMENTS.slice(0, departmentCount).map((d, i) => ({
    id: `d${String(i + 1).padStart(2, '0')}`,
    name: d.name,
    domains: d.domains,
  }));
  const teams: Team[] = [];
  for (let i = 0; i < teamCount; i++) {
    const department = departments[i % departments.length] as Department;
    const pool = department.domains.flatMap(leafSkills);
    // Teams differ: a culture of growth in some, of decline or standing still in others.
    const culture = rng.normal(0, 1);
    teams.push({
      id: `t${String(i + 1).padStart(3, '0')}`,
      name: `${department.name} ${TEAM_NAMES[Math.floor(i / departments.length) % TEAM_NAMES.length]}${i >= departments.length * TEAM_NAMES.length ? ` ${i}` : ''}`,
      department: department.id,
      focus: rng.sample(pool, 4),
      levelEffect: Math.round(rng.normal(0, 0.3) * 1000) / 1000,
      growthEffect: Math.round(0.3 * culture * 1000) / 1000,
      patternWeights: {
        growing: Math.max(0.05, 0.3 + 0.15 * culture),
        plateau: 0.2,
        'starts-high': 0.15,
        declining: Math.max(0.03, 0.12 - 0.08 * culture),
        steady: 0.23,
      },
    });
  }
  return { departments, teams };
}

function trajectories(
  rng: Rng,
  pattern: GrowthPattern,
  skills: readonly string[],
  team: Team,
  days: number,
): Trajectory[] {
  const shape = PATTERN_SHAPES[pattern];
  return skills.map((skill) => {
    const [low, high] = shape.growthPer90Days;
    const growth = rng.between(low, high) + team.growthEffect;
    return {
      skill,
      start: Math.round((rng.normal(shape.startMean, 0.4) + team.levelEffect) * 1000) / 1000,
      slopePerDay: Math.round((growth / 90) * 1e6) / 1e6,
      plateauDay: pattern === 'plateau' ? Math.round(days * rng.between(0.3, 0.6)) : days,
    };
  });
}

/**
 * The organisation: departments of teams of about eight; people with an email, accounts in the
 * social tools (some with two in one tool: a replaced Slack account, a second forum account
 * used alongside the first), a manager (the team's first member; team leads report to the
 * department's first lead), a few moves between teams, and latent skills on their team's focus
 * skills and one more.
 */
export function buildOrganisation(rng: Rng, options: SimulationOptions): Organisation {
  const { departments, teams } = buildTeams(rng.fork('teams'), options.people);
  const allLeaves = DOMAINS.flatMap(leafSkills);
  const people: Person[] = [];
  const used = new Set<string>();
  const leads = new Map<string, string>();
  for (let index = 0; index < options.people; index++) {
    const r = rng.fork(`person/${index}`);
    const team = teams[index % teams.length] as Team;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    let handle = `${first}.${last}`.toLowerCase();
    for (let n = 2; used.has(handle); n++) handle = `${first}.${last}${n}`.toLowerCase();
    used.add(handle);
    const email = `${handle}@acme.example`;
    const accounts: ToolAccount[] = [];
    for (const tool of Object.keys(TOOL_USE) as SocialTool[]) {
      if (!r.chance(TOOL_USE[tool])) continue;
      const name = toolAccountName(r, tool, handle.replace('.', '_'));
      if (tool === 'slack' && r.chance(0.06) && options.days > 2) {
        const switchDay = r.int(1, options.days - 1);
        accounts.push({ tool, name, from: 0, to: switchDay });
        accounts.push({ tool, name: toolAccountName(r, tool, handle), from: switchDay });
      } else if (tool === 'forum' && r.chance(0.08)) {
        accounts.push({ tool, name, from: 0 });
        accounts.push({ tool, name: `${name}_alt`, from: 0, share: 0.3 });
      } else {
        accounts.push({ tool, name, from: 0 });
      }
    }
    const isLead = index < teams.length;
    let memberships: Membership[] = [{ team: team.id, from: 0 }];
    let skills = [...team.focus, r.pick(allLeaves.filter((s) => !team.focus.includes(s)))];
    if (!isLead && teams.length > 1 && options.days > 4 && r.chance(0.05)) {
      const next = r.pick(teams.filter((t) => t.id !== team.id));
      const moveDay = r.int(Math.ceil(options.days * 0.1), Math.floor(options.days * 0.9));
      memberships = [
        { team: team.id, from: 0, to: moveDay },
        { team: next.id, from: moveDay },
      ];
      skills = [...new Set([...skills, ...next.focus.slice(0, 1)])];
    }
    const pattern = r.weighted(GROWTH_PATTERNS, (p) => team.patternWeights[p]);
    const id = `p${String(index + 1).padStart(4, '0')}`;
    if (isLead) leads.set(team.id, id);
    const departmentLead = leads.get(
      teams.find((t) => t.department === team.department)?.id ?? team.id,
    );
    const manager = isLead
      ? departmentLead === id
        ? undefined
        : departmentLead
      : leads.get(team.id);
    people.push({
      id,
      index,
      name: `${first} ${last}`,
      email,
      emailSha1: mboxSha1(`mailto:${email}`),
      accounts,
      memberships,
      ...(manager === undefined ? {} : { manager }),
      pattern,
      trajectories: trajectories(r, pattern, skills, team, options.days),
      formalActivity: Math.exp(r.normal(0, 0.4)),
      socialActivity: Math.exp(r.normal(0, 0.6)),
    });
  }
  return { name: 'Acme', domain: 'acme.example', departments, teams, people };
}

/** The team `person` belongs to on day `day`. */
export function teamOn(person: Person, day: number): string {
  for (const m of person.memberships) {
    if (m.from <= day && (m.to === undefined || day < m.to)) return m.team;
  }
  return person.memberships[0]?.team ?? '';
}
