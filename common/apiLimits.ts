/** Marketo Engage's default REST limits, which the API plan and its reports are measured against. */

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
