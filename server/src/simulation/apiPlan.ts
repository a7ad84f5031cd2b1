/** What an export costs in Marketo REST calls under the default limits: the API plan. */
import {
  CALLS_PER_WINDOW,
  DAILY_CALL_QUOTA,
  LEADS_PER_LIST_CALL,
  RECORDS_PER_SYNC_CALL,
  WINDOW_SECONDS,
} from '../../../common/apiLimits';

/** Filter values a `GET /rest/v1/leads.json` look-up takes (Marketo's limit). */
const LOOKUP_VALUES_PER_CALL = 300;
import type {
  ApiPlan,
  ListCalls,
  ProfileOutcome,
  SimulationSummary,
} from '../../../common/simulationReport';
import { writesLists, writesProfiles } from './config';
import type { SimulationConfig } from './types';

/**
 * Minimum duration of `calls` calls at 100 calls per 20 s: the first 100 go at once, each
 * further window of 100 waits 20 s (2 calls take no wait, 201 calls 40 s).
 */
export function minimumSecondsFor(calls: number): number {
  if (calls <= 0) return 0;
  return Math.floor((calls - 1) / CALLS_PER_WINDOW) * WINDOW_SECONDS;
}

/** Members and removals per list, counted outcome by outcome (nothing else is kept). */
export class ListCounter {
  readonly members = new Map<string, number>();
  readonly removed = new Map<string, number>();

  count(outcome: ProfileOutcome): void {
    for (const listId of outcome.lists)
      this.members.set(listId, (this.members.get(listId) ?? 0) + 1);
    for (const listId of outcome.removeFromLists ?? [])
      this.removed.set(listId, (this.removed.get(listId) ?? 0) + 1);
  }
}

/**
 * The calls the outcomes imply: lead look-ups (audienceOnly), sync-lead batches, then
 * add-to-list and remove-from-list batches per list. `lookedUp` is the number of profiles
 * whose dedupe value audienceOnly looks up to find a lead id (300 values a call).
 */
export function planApiCalls(
  config: SimulationConfig,
  summary: SimulationSummary,
  outcomes: readonly ProfileOutcome[],
  lookedUp = 0,
): ApiPlan {
  const lists = new ListCounter();
  for (const outcome of outcomes) lists.count(outcome);
  return planFromCounts(config, summary, lists, lookedUp);
}

/** The plan from the summary and the per-list counts of the outcomes. */
export function planFromCounts(
  config: SimulationConfig,
  summary: SimulationSummary,
  lists: ListCounter,
  lookedUp = 0,
): ApiPlan {
  const syncLeadCalls = Math.ceil((summary.create + summary.update) / RECORDS_PER_SYNC_CALL);
  // audienceAndProfile gets lead ids from the sync-lead answers; audienceOnly never syncs,
  // so it must find them by the dedupe field first (GET /leads.json, 300 filter values).
  const leadLookupCalls =
    writesLists(config.syncType) && !writesProfiles(config.syncType)
      ? Math.ceil(lookedUp / LOOKUP_VALUES_PER_CALL)
      : 0;
  const { members, removed } = lists;
  const perList: ListCalls[] = [];
  const entry = (listId: string): ListCalls => {
    const n = members.get(listId) ?? 0;
    const r = removed.get(listId) ?? 0;
    return {
      listId,
      members: n,
      calls: Math.ceil(n / LEADS_PER_LIST_CALL),
      removed: r,
      removeCalls: Math.ceil(r / LEADS_PER_LIST_CALL),
    };
  };
  if (writesLists(config.syncType)) {
    for (const audience of config.audiences) {
      if (perList.some((e) => e.listId === audience.id)) continue;
      perList.push(entry(audience.id));
    }
  }
  for (const listId of [...members.keys(), ...removed.keys()]) {
    if (!perList.some((e) => e.listId === listId)) perList.push(entry(listId));
  }
  const addToListCalls = perList.reduce((sum, e) => sum + e.calls, 0);
  const removeFromListCalls = perList.reduce((sum, e) => sum + (e.removeCalls ?? 0), 0);
  const totalCalls = leadLookupCalls + syncLeadCalls + addToListCalls + removeFromListCalls;
  return {
    syncLeadCalls,
    addToListCalls,
    totalCalls,
    dailyQuotaShare: totalCalls / DAILY_CALL_QUOTA,
    minimumSeconds: minimumSecondsFor(totalCalls),
    perList,
    leadLookupCalls,
    removeFromListCalls,
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
