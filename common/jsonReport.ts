/**
 * The JSON report of a simulation with its fixed key order, as one string or as chunks
 * to stream.
 */
import type {
  ApiPlan,
  ProfileOutcome,
  SimulationResult,
  SimulationSummary,
} from './simulationReport';

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
    ...(o.removeFromLists?.length ? { removeFromLists: o.removeFromLists } : {}),
  };
}

function orderedPlan(plan: ApiPlan): ApiPlan {
  return {
    syncLeadCalls: plan.syncLeadCalls,
    addToListCalls: plan.addToListCalls,
    totalCalls: plan.totalCalls,
    dailyQuotaShare: plan.dailyQuotaShare,
    minimumSeconds: plan.minimumSeconds,
    perList: plan.perList.map((l) => ({
      listId: l.listId,
      members: l.members,
      calls: l.calls,
      removed: l.removed ?? 0,
      removeCalls: l.removeCalls ?? 0,
    })),
    leadLookupCalls: plan.leadLookupCalls ?? 0,
    removeFromListCalls: plan.removeFromListCalls ?? 0,
  };
}

function orderedSummary(s: SimulationSummary): SimulationSummary {
  return {
    profiles: s.profiles,
    create: s.create,
    update: s.update,
    addToList: s.addToList,
    skip: s.skip,
    removeFromList: s.removeFromList ?? 0,
    addedToLists: s.addedToLists ?? 0,
    removedFromLists: s.removedFromLists ?? 0,
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
 * "partition","lists","changes","otherMatches","reason","line","warnings"[,"removeFromLists"]}],
 * "apiPlan":{…},"warnings":[…]}`, compact, keys in that order. Keys are only ever added at
 * the end of their object (consumers may rely on the order of the older ones): summary
 * `removeFromList`, `addedToLists`, `removedFromLists`; outcome `removeFromLists`; apiPlan
 * `leadLookupCalls`, `removeFromListCalls`; perList `removed`, `removeCalls`. An outcome has
 * `removeFromLists` only when it removes the lead from a list.
 */
export function toJsonReport(result: SimulationResult): string {
  let out = '';
  for (const chunk of jsonReportChunks(result)) out += chunk;
  return out;
}
