/**
 * The joined rows of the DuckDB engine, chunk by chunk, turned into the facts the shared
 * decision reads: the profile (values through `ValueReader`s over the current chunk, so the
 * TypeScript engine's `firstValue` and `MembershipResolver` apply as they are), its one
 * lead, or its several leads sorted by the TypeScript precedence (latest `updatedAt`, then
 * the higher id), or the earlier profile that creates its lead.
 */
import type { DuckDBValue, DuckDBVector } from '@duckdb/node-api';
import type { OtherMatch, ProfileOutcome } from '../../../../common/simulationReport';
import { compareIdsDescending } from '../leadIndex';
import { DEFAULT_PARTITION } from '../leads';
import {
  type CreatorFacts,
  type LeadFacts,
  type MatchFacts,
  NONE,
  type OutcomeDecider,
  type ProfileFacts,
} from '../outcome';
import { NO_VALUE } from '../recordFiles';
import { MembershipResolver, firstValue } from '../simulate';
import type { ValueReader } from '../types';
import type { ProfilePlan } from './columns';
import type { Session } from './session';
import { joinedSql } from './sql';

export interface StreamContext {
  decider: OutcomeDecider;
  plan: ProfilePlan;
  partitionNames: ReadonlyMap<string, string> | undefined;
  lineOf: (index: number) => number;
  total: number;
  onOutcome: (outcome: ProfileOutcome) => void;
  /** Called every 10,000 profiles; may throw to stop. */
  onProgress: (done: number) => void;
}

interface MatchedLead {
  id: string;
  part: string | null;
  pid: string | null;
  upd: string | null;
  ms: number | null;
  f: (string | null)[];
}

const text = (v: DuckDBValue | undefined): string | undefined =>
  v === null || v === undefined ? undefined : (v as string);

export async function streamOutcomes(session: Session, ctx: StreamContext): Promise<void> {
  const { decider, plan } = ctx;
  const fieldCount = decider.fields.length;
  // Only the dedupe and status columns come as they are; field values come as sent.
  const read = [...new Set([...plan.dedupe, ...plan.statuses])];
  const slot = new Map(read.map((col, k) => [col, k + 1]));
  const at = {
    n: 1 + read.length,
    id: 2 + read.length,
    part: 3 + read.length,
    pid: 4 + read.length,
    f: 6 + read.length,
    many: 6 + read.length + fieldCount,
    cpos: 7 + read.length + fieldCount,
    sent: 8 + read.length + fieldCount,
  };
  // Vectors decode a value when it is read: the decision reads few of them.
  let vectors: DuckDBVector[] = [];
  const cell = (c: number, r: number): DuckDBValue | undefined => vectors[c]?.getItem(r);
  let base = 0;
  const readerOf = (col: number | undefined): ValueReader => {
    const s = col === undefined ? undefined : slot.get(col);
    if (s === undefined) return NO_VALUE;
    return (index) => text(cell(s, index - base));
  };
  const dedupeReaders = plan.dedupe.map(readerOf);
  const membership = new MembershipResolver(
    plan.audienceIds.map((id, k) => ({ id, status: readerOf(plan.audienceStatus[k]) })),
  );
  const partitionOf = (part: string | null | undefined, pid: string | null | undefined): string =>
    part ?? (pid ? (ctx.partitionNames?.get(pid) ?? pid) : DEFAULT_PARTITION);

  const profile: ProfileFacts & { at: number } = {
    at: 0,
    index: 0,
    line: 0,
    dedupeValue: null,
    members: NONE,
    exited: NONE,
    value: (k) => text(cell(at.sent + k, row)),
  };
  let row = 0;
  const single: LeadFacts = {
    id: '',
    partition: '',
    value: (k) => text(cell(at.f + k, row)),
  };
  /** Creators of shared new values: their line and values, kept until the end (few). */
  const creators = new Map<number, CreatorFacts>();
  const allAudiences = plan.audienceIds;

  // AEP_DEST_DUCKDB_TRACE=1: the time of each step on stderr (diagnostics).
  const trace = process.env.AEP_DEST_DUCKDB_TRACE !== undefined;
  const t0 = performance.now();
  const result = await session.stream(joinedSql(read, plan.fieldSources));
  const streamMs = performance.now() - t0;
  let fetchMs = 0;
  let i = 0;
  for (;;) {
    const f0 = performance.now();
    const chunk = await result.fetchChunk();
    fetchMs += performance.now() - f0;
    if (!chunk || chunk.rowCount === 0) break;
    vectors = Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c));
    base = i;
    const rows = chunk.rowCount;
    for (row = 0; row < rows; row++, i++) {
      if (i % 10_000 === 0 && i > 0) ctx.onProgress(i);
      profile.at = i;
      profile.index = i;
      profile.line = ctx.lineOf(i);
      profile.dedupeValue = firstValue(dedupeReaders, i) ?? null;
      if (plan.withMembership) {
        membership.resolve(i);
        profile.members = membership.members;
        profile.exited = membership.exited;
      } else {
        profile.members = allAudiences;
        profile.exited = NONE;
      }
      let match: MatchFacts | undefined;
      let creator: CreatorFacts | undefined;
      if (decider.looksUp(profile)) {
        const n = cell(at.n, row);
        if (n === 1) {
          single.id = cell(at.id, row) as string;
          single.partition = partitionOf(text(cell(at.part, row)), text(cell(at.pid, row)));
          match = {
            winner: single,
            others: NONE,
            tied: NONE,
            winnerUpdatedAt: null,
          };
        } else if (typeof n === 'number' && n > 1) {
          match = matchOfMany(cell(at.many, row) as string, partitionOf);
        } else if (profile.members.length > 0) {
          const cpos = cell(at.cpos, row);
          if (cpos !== null && cpos !== undefined) {
            const first = Number(cpos);
            if (first === i) {
              const values = decider.fields.map((_, k) => profile.value(k));
              creators.set(i, { line: profile.line, value: (k) => values[k] });
            } else creator = creators.get(first);
          }
        }
      }
      ctx.onOutcome(decider.decide(profile, match, creator));
    }
  }
  ctx.onProgress(i);
  if (trace)
    process.stderr.write(
      `stream ${(performance.now() - t0).toFixed(0)} ms (query ${streamMs.toFixed(0)} ms, fetch ${fetchMs.toFixed(0)} ms)\n`,
    );
  if (i !== ctx.total) throw new Error(`DuckDB returned ${i} of ${ctx.total} profiles`);
}

/** Several matching leads: sorted as `leadPrecedence` sorts them (a stable sort over file order). */
function matchOfMany(
  json: string,
  partitionOf: (part: string | null, pid: string | null) => string,
): MatchFacts {
  const leads = JSON.parse(json) as MatchedLead[];
  const msOf = (l: MatchedLead): number => l.ms ?? -Infinity;
  leads.sort((a, b) => {
    const ta = msOf(a);
    const tb = msOf(b);
    if (ta !== tb) return tb > ta ? 1 : -1;
    return compareIdsDescending(a.id, b.id);
  });
  const [winner, ...rest] = leads as [MatchedLead, ...MatchedLead[]];
  const others: OtherMatch[] = rest.map((l) => ({
    leadId: l.id,
    partition: partitionOf(l.part, l.pid),
    updatedAt: l.upd,
  }));
  const tied: string[] = [];
  for (const l of rest) {
    if (msOf(l) !== msOf(winner)) break;
    tied.push(l.id);
  }
  return {
    winner: {
      id: winner.id,
      partition: partitionOf(winner.part, winner.pid),
      value: (k) => winner.f[k] ?? undefined,
    },
    others,
    tied,
    winnerUpdatedAt: winner.upd,
  };
}
