/**
 * When the language server exits without being asked to: restart it, or give up after too
 * many exits in a short time. Free of the `vscode` module so unit tests can load it.
 */

export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export type CloseDecision =
  | {
      restart: true;
      /** Exits within the window, this one included. */
      crashes: number;
      /** Say once that the server was restarted, not after every exit. */
      tellUser: boolean;
    }
  | { restart: false; crashes: number; message: string };

export class CrashHistory {
  private times: number[] = [];
  private told = false;

  closed(now: number): CloseDecision {
    this.times = [...this.times.filter((t) => now - t < RESTART_WINDOW_MS), now];
    const crashes = this.times.length;
    if (crashes > MAX_RESTARTS) {
      return {
        restart: false,
        crashes,
        message: `The AEP Destination language server crashed ${crashes} times in 3 minutes and will not be restarted. Run "AEP Destination: Restart Language Server" after fixing the cause (see the output channel).`,
      };
    }
    const tellUser = !this.told;
    this.told = true;
    return { restart: true, crashes, tellUser };
  }

  /**
   * A restart the user asked for starts a new count: the exits before it must neither stop
   * the next restart early nor keep their notice.
   */
  reset(): void {
    this.times = [];
    this.told = false;
  }
}
