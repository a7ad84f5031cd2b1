/**
 * What an export costs in Marketo REST calls (the API plan), and the JSON report of a
 * simulation with its fixed key order, as one string or as chunks to stream.
 */
import { writesLists } from './config';
import type {
  ApiPlan,
  ListCalls,
  ProfileOutcome,
  SimulationConfig,
  SimulationResult,
  SimulationSummary,
} from './types';

/** Records a sync-lead call takes (Marketo `POST /rest/v1/leads.json`). */
export const RECORDS_PER_SYNC_CALL = 300;
/** Lead ids an add-to-list call takes. */
export const LEADS_PER_LIST_CALL = 300;
/** Marketo's default daily API quota. */
export const DAILY_CALL_QUOTA = 50_000;
/** Marketo's default rate limit: this many calls … */
export const CALLS_PER_WINDOW = 100;
/** … per this many seconds. */
export const WINDOW_SECONDS = 20;

/** The calls the outcomes imply: sync-lead batches, then add-to-list batches per list. */
export function planApiCalls(
  config: SimulationConfig,
  summary: SimulationSummary,
  outcomes: readonly ProfileOutcome[],
): ApiPlan {
  const syncLeadCalls = Math.ceil((summary.create + summary.update) / RECORDS_PER_SYNC_CALL);
  const members = new Map<string, number>();
  for (const outcome of outcomes) {
    for (const listId of outcome.lists) members.set(listId, (members.get(listId) ?? 0) + 1);
  }
  const perList: ListCalls[] = [];
  if (writesLists(config.syncType)) {
    for (const audience of config.audiences) {
      if (perList.some((entry) => entry.listId === audience.id)) continue;
      const n = members.get(audience.id) ?? 0;
      perList.push({ listId: audience.id, members: n, calls: Math.ceil(n / LEADS_PER_LIST_CALL) });
    }
  }
  for (const [listId, n] of members) {
    if (!perList.some((entry) => entry.listId === listId)) {
      perList.push({ listId, members: n, calls: Math.ceil(n / LEADS_PER_LIST_CALL) });
    }
  }
  const addToListCalls = perList.reduce((sum, entry) => sum + entry.calls, 0);
  const totalCalls = syncLeadCalls + addToListCalls;
  return {
    syncLeadCalls,
    addToListCalls,
    totalCalls,
    dailyQuotaShare: totalCalls / DAILY_CALL_QUOTA,
    minimumSeconds: Math.ceil(totalCalls / CALLS_PER_WINDOW) * WINDOW_SECONDS,
    perList,
  };
}

/** A global warning when the plan exceeds the default daily quota, or undefined. */
export function quotaWarning(plan: ApiPlan): string | undefined {
  if (plan.totalCalls <= DAILY_CALL_QUOTA) return undefined;
  return (
    `the export needs ${plan.totalCalls} API calls, more than Marketo's default daily quota of ` +
    `${DAILY_CALL_QUOTA} (${(plan.dailyQuotaShare * 100).toFixed(0)}%); it would take more than one day`
  );
}

/**
 * Results whose objects `simulate` built with the report's key order already, so the
 * report can stringify them as they are (a million copies saved).
 */
const ORDERED_RESULTS = new WeakSet<SimulationResult>();

/** Marks a result built by `simulate` (key order already that of the report). */
export function markOrdered(result: SimulationResult): SimulationResult {
  ORDERED_RESULTS.add(result);
  return result;
}

/** The outcome with the report's key order. */
function orderedOutcome(o: ProfileOutcome): ProfileOutcome {
  return {
    index: o.index,
    dedupeValue: o.dedupeValue,
    action: o.action,
    leadId: o.leadId,
    partition: o.partition,
    lists: o.lists,
    changes: o.changes.map((c) => ({ field: c.field, from: c.from, to: c.to })),
    otherMatches: o.otherMatches.map((m) => ({
      leadId: m.leadId,
      partition: m.partition,
      updatedAt: m.updatedAt,
    })),
    reason: o.reason,
    line: o.line,
    warnings: o.warnings,
  };
}

function orderedPlan(plan: ApiPlan): ApiPlan {
  return {
    syncLeadCalls: plan.syncLeadCalls,
    addToListCalls: plan.addToListCalls,
    totalCalls: plan.totalCalls,
    dailyQuotaShare: plan.dailyQuotaShare,
    minimumSeconds: plan.minimumSeconds,
    perList: plan.perList.map((l) => ({ listId: l.listId, members: l.members, calls: l.calls })),
  };
}

function orderedSummary(s: SimulationSummary): SimulationSummary {
  return {
    profiles: s.profiles,
    create: s.create,
    update: s.update,
    addToList: s.addToList,
    skip: s.skip,
  };
}

/**
 * The JSON report in chunks (one per outcome, batched), for writing a large result
 * to a stream without building one huge string. Joined, the chunks are `toJsonReport`.
 */
export function* jsonReportChunks(
  result: SimulationResult,
  outcomesPerChunk = 1000,
): Generator<string> {
  yield `{"summary":${JSON.stringify(orderedSummary(result.summary))},"outcomes":[`;
  const outcomes = result.outcomes;
  const ordered = ORDERED_RESULTS.has(result);
  for (let start = 0; start < outcomes.length; start += outcomesPerChunk) {
    const parts: string[] = [];
    const end = Math.min(outcomes.length, start + outcomesPerChunk);
    for (let i = start; i < end; i++) {
      const outcome = outcomes[i] as ProfileOutcome;
      parts.push(JSON.stringify(ordered ? outcome : orderedOutcome(outcome)));
    }
    yield (start === 0 ? '' : ',') + parts.join(',');
  }
  yield `],"apiPlan":${JSON.stringify(orderedPlan(result.apiPlan))},"warnings":${JSON.stringify(result.warnings)}}`;
}

/**
 * The JSON report: `{"summary":{…},"outcomes":[{"index","dedupeValue","action","leadId",
 * "partition","lists","changes","otherMatches","reason","line","warnings"}],"apiPlan":{…},
 * "warnings":[…]}`, compact, keys in that order.
 */
export function toJsonReport(result: SimulationResult): string {
  let out = '';
  for (const chunk of jsonReportChunks(result)) out += chunk;
  return out;
}
