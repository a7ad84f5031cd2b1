/** What an export costs in Marketo REST calls under the default limits: the API plan. */
import {
  CALLS_PER_WINDOW,
  DAILY_CALL_QUOTA,
  LEADS_PER_LIST_CALL,
  RECORDS_PER_SYNC_CALL,
  WINDOW_SECONDS,
} from '../../../common/apiLimits';
import type {
  ApiPlan,
  ListCalls,
  ProfileOutcome,
  SimulationSummary,
} from '../../../common/simulationReport';
import { writesLists } from './config';
import type { SimulationConfig } from './types';

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
