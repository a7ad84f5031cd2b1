/**
 * Deterministic (seeded) inputs of the benchmarks: destination configs of any size,
 * a corpus of small everyday configs, and the profiles and leads CSV files of the
 * simulation. Same seed, same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from './rng';

const WORDS = [
  'loyalty',
  'preference',
  'engagement',
  'region',
  'segment',
  'product',
  'interest',
  'channel',
  'lifetime',
  'renewal',
  'billing',
  'support',
  'webinar',
  'trial',
  'partner',
  'industry',
];
const ORIGINS = [
  'segmentationService',
  'customUpload',
  'lookalike',
  'federated',
  'journeyOptimizer',
];
/** XDM paths and the standard Marketo fields they feed (targets all distinct). */
const STANDARD_MAPPINGS: [string, string][] = [
  ['person.name.middleName', 'middleName'],
  ['person.birthDate', 'dateOfBirth'],
  ['workPhone.number', 'phone'],
  ['mobilePhone.number', 'mobilePhone'],
  ['workAddress.city', 'city'],
  ['workAddress.stateProvince', 'state'],
  ['workAddress.postalCode', 'postalCode'],
  ['workAddress.country', 'country'],
  ['extendedWorkDetails.jobTitle', 'title'],
  ['b2b.companyName', 'company'],
  ['b2b.personStatus', 'leadStatus'],
  ['b2b.personScore', 'leadScore'],
  ['b2b.personSource', 'leadSource'],
  ['consents.marketing.email.val', 'unsubscribed'],
];

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function munchkinId(rng: Rng): string {
  const d = (): string => String(100 + rng.int(900));
  const l = (): string =>
    Array.from({ length: 3 }, () => String.fromCharCode(65 + rng.int(26))).join('');
  return `${d()}-${l()}-${d()}`;
}

function audience(rng: Rng, i: number): Record<string, unknown> {
  const w1 = rng.pick(WORDS);
  const w2 = rng.pick(WORDS);
  return {
    id: `seg-${w1}-${w2}-${i}`,
    name: `${cap(w1)} ${w2} audience ${i}`,
    origin: rng.pick(ORIGINS),
    type: 'people',
    evaluation: rng.chance(0.7) ? 'streaming' : 'batch',
    entities: rng.chance(0.8) ? ['person'] : ['person', 'event'],
  };
}

/** The mappings of a valid config: DedupeField, the required fields, then distinct targets. */
function mappings(rng: Rng, count: number): { source: string; target: string }[] {
  const out = [
    { source: 'identityMap.Email', target: 'DedupeField' },
    { source: 'person.name.firstName', target: 'firstName' },
    { source: 'person.name.lastName', target: 'lastName' },
  ];
  for (const [source, target] of STANDARD_MAPPINGS) {
    if (out.length >= count) break;
    out.push({ source, target });
  }
  for (let i = 0; out.length < count; i++) {
    const w1 = rng.pick(WORDS);
    const w2 = rng.pick(WORDS);
    out.push({ source: `_acme.${w1}.${w2}Attribute${i}`, target: `${w1}${cap(w2)}${i}` });
  }
  return out;
}

/**
 * A realistic, otherwise valid config with `mappingCount` mappings and `audienceCount`
 * people audiences, pretty-printed as people write them (two-space indent).
 * Valid: the only finding is the mapped-attributes guardrail warning above 50 mappings.
 */
export function configText(seed: number, mappingCount: number, audienceCount: number): string {
  const rng = new Rng(seed);
  const config = {
    connector: 'marketo-engage',
    name: `Generated destination (${mappingCount} mappings)`,
    description: 'Benchmark config: generated, valid except for the size guardrails.',
    munchkinId: munchkinId(rng),
    workspace: 'Default',
    syncType: 'audienceAndProfile',
    partition: 'EMEA',
    dedupeField: 'email',
    personAction: 'updateExistingAndCreateNew',
    alerts: ['destinationFlowRunFailure', 'destinationFlowRunDelay'],
    mappings: mappings(rng, mappingCount),
    audiences: Array.from({ length: audienceCount }, (_, i) => audience(rng, i)),
  };
  return JSON.stringify(config, null, 2) + '\n';
}

/**
 * One of a corpus of everyday configs: 4–30 mappings, 1–5 audiences; about one in five
 * carries one typical mistake (a finding), one in ten is JSONC with comments.
 */
export function smallConfig(seed: number): { name: string; text: string } {
  const rng = new Rng(seed);
  const syncType = rng.pick(['audienceAndProfile', 'audienceAndProfile', 'profileOnly']);
  const config: Record<string, unknown> = {
    connector: 'marketo-engage',
    name: `${cap(rng.pick(WORDS))} ${rng.pick(WORDS)} sync ${seed}`,
    munchkinId: munchkinId(rng),
    workspace: rng.pick(['Default', 'EMEA', 'Americas']),
    syncType,
    partition: rng.pick(['Default', 'EMEA', 'APAC']),
    dedupeField: 'email',
    personAction: rng.chance(0.8) ? 'updateExistingAndCreateNew' : 'updateExistingOnly',
    mappings: mappings(rng, 4 + rng.int(27)),
    audiences: Array.from({ length: 1 + rng.int(5) }, (_, i) => audience(rng, i)),
  };
  if (rng.chance(0.2)) {
    const mistake = rng.int(4);
    if (mistake === 0)
      (config.mappings as unknown[]).splice(2, 1); // lastName not mapped
    else if (mistake === 1) config.munchkinId = 'ABC-123-XYZ';
    else if (mistake === 2)
      config.syncType = 'audienceOnly'; // with partition and personAction
    else config.personAction = 'updateExisting';
  }
  const jsonc = rng.chance(0.1);
  let text = JSON.stringify(config, null, 2) + '\n';
  if (jsonc) text = `// Destination ${seed}: generated for the benchmarks\n${text}`;
  return {
    name: `config-${String(seed).padStart(4, '0')}.destination.json${jsonc ? 'c' : ''}`,
    text,
  };
}

/** Writes text files line by line without holding a whole 100 MB file as one string. */
class LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer.length) fs.writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

const FIRST = ['Ann', 'Bob', 'Carl', 'Dora', 'Erik', 'Fatima', 'Gus', 'Hanna', 'Ivan', 'Jun'];
const LAST = ['Andersson', 'Berg', 'Carlsson', 'Dahl', 'Ek', 'Farah', 'Holm', 'Ivanov', 'Kim'];
const COMPANIES = ['Acme', 'Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Lumen'];
const TITLES = ['CMO', 'CTO', 'VP Marketing', 'Buyer', 'Head of Sales', 'Analyst', 'Engineer'];
const PARTITIONS = ['Default', 'Default', 'Default', 'EMEA', 'EMEA', 'APAC'];

/** A CSV field: quoted when it holds a comma or a quote. */
function csv(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function timestamp(rng: Rng): string {
  const ms = Date.UTC(2023, 0, 1) + rng.int(3 * 365 * 24 * 3600) * 1000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A lead's email: unique per index; shapes like real addresses. */
function email(i: number): string {
  return `${FIRST[i % FIRST.length]?.toLowerCase()}.${LAST[(i >> 3) % LAST.length]?.toLowerCase()}.${i}@${COMPANIES[i % COMPANIES.length]?.toLowerCase()}.example`;
}

export interface SimulationFiles {
  profiles: string;
  leads: string;
  config: string;
}

/** The config of the simulation benchmark (its `simulation` block names the two files). */
export function simulationConfigText(profiles: string, leads: string): string {
  return (
    JSON.stringify(
      {
        connector: 'marketo-engage',
        name: 'Simulation benchmark',
        munchkinId: '123-ABC-456',
        workspace: 'Default',
        syncType: 'audienceAndProfile',
        partition: 'EMEA',
        dedupeField: 'email',
        personAction: 'updateExistingAndCreateNew',
        mappings: [
          { source: 'identityMap.Email', target: 'DedupeField' },
          { source: 'person.name.firstName', target: 'firstName' },
          { source: 'person.name.lastName', target: 'lastName' },
          { source: 'b2b.companyName', target: 'company' },
          { source: 'extendedWorkDetails.jobTitle', target: 'title' },
        ],
        audiences: [
          { id: 'seg-winback', name: 'Winback', type: 'people', evaluation: 'streaming' },
          { id: 'seg-newsletter', name: 'Newsletter', type: 'people', evaluation: 'streaming' },
        ],
        simulation: { profiles, leads },
      },
      null,
      2,
    ) + '\n'
  );
}

/**
 * `count` profiles and `count` leads as CSV:
 * - leads: ids 1..count, partitions Default/EMEA/APAC, ISO `updatedAt`; 1% without email;
 *   1% duplicate another lead's email (other case, other partition, other time);
 *   2% of companies need CSV quoting ("Acme, Inc.").
 * - profiles: 60% carry the email of a distinct lead (some in other case or padded),
 *   3% no email, the rest a new address; 0.1% repeat an earlier profile's email.
 *   Memberships: realized / existing / exited, 10% with none at all (member of every audience).
 *   Field values mostly equal the lead's; some titles and companies changed.
 */
export function writeSimulationFiles(dir: string, count: number, seed: number): SimulationFiles {
  const rng = new Rng(seed);
  const leadsFile = path.join(dir, `leads-${count}.csv`);
  const profilesFile = path.join(dir, `profiles-${count}.csv`);
  const leadEmail = new Array<string | undefined>(count);
  const leads = new LineWriter(leadsFile);
  leads.line('id,email,firstName,lastName,company,title,partition,updatedAt');
  for (let i = 0; i < count; i++) {
    let address: string | undefined = email(i);
    const noEmail = rng.chance(0.01);
    if (noEmail) address = undefined;
    else if (i > 10 && rng.chance(0.01)) {
      const other = leadEmail[rng.int(i)];
      if (other) address = rng.chance(0.5) ? other.toUpperCase() : other;
    }
    leadEmail[i] = address;
    const company = rng.chance(0.02) ? `${rng.pick(COMPANIES)}, Inc.` : rng.pick(COMPANIES);
    leads.line(
      [
        String(i + 1),
        address ?? '',
        FIRST[i % FIRST.length],
        LAST[(i >> 3) % LAST.length],
        csv(company),
        rng.pick(TITLES),
        rng.pick(PARTITIONS),
        timestamp(rng),
      ].join(','),
    );
  }
  leads.close();

  const matched = rng.permutation(count);
  let nextMatch = 0;
  const profiles = new LineWriter(profilesFile);
  profiles.line(
    'identityMap.Email,person.name.firstName,person.name.lastName,b2b.companyName,extendedWorkDetails.jobTitle,segmentMembership.ups.seg-winback.status,segmentMembership.ups.seg-newsletter.status',
  );
  const recent: string[] = [];
  for (let p = 0; p < count; p++) {
    let address: string;
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    const roll = rng.next();
    if (roll < 0.6) {
      const lead = matched[nextMatch++ % count] as number;
      address = leadEmail[lead] ?? email(count + p);
      first = FIRST[lead % FIRST.length] as string;
      last = LAST[(lead >> 3) % LAST.length] as string;
      if (rng.chance(0.05)) address = address.toUpperCase();
      if (rng.chance(0.02)) address = ` ${address} `;
    } else if (roll < 0.63) {
      address = '';
    } else if (roll < 0.631 && recent.length) {
      address = rng.pick(recent);
    } else {
      address = email(count + p);
    }
    if (address && recent.length < 1000 && rng.chance(0.01)) recent.push(address);
    const r = rng.next();
    const status =
      r < 0.1
        ? ['', '']
        : r < 0.65
          ? ['realized', '']
          : r < 0.85
            ? ['existing', 'realized']
            : r < 0.95
              ? ['', 'existing']
              : ['exited', 'exited'];
    profiles.line(
      [
        address,
        first,
        last,
        csv(rng.chance(0.02) ? `${rng.pick(COMPANIES)}, Inc.` : rng.pick(COMPANIES)),
        rng.pick(TITLES),
        status[0],
        status[1],
      ].join(','),
    );
  }
  profiles.close();
  const configFile = path.join(dir, `simulation-${count}.destination.json`);
  fs.writeFileSync(
    configFile,
    simulationConfigText(path.basename(profilesFile), path.basename(leadsFile)),
  );
  return { profiles: profilesFile, leads: leadsFile, config: configFile };
}
