export interface Config {
  backend?: {
    startup?: {
      /**
       * How long the backend may take to start (every plugin initialised),
       * counted once it holds the startup lock (replicas on one PostgreSQL
       * start one after the other). When exceeded, the process exits with
       * code 1 so that an orchestrator restarts it, instead of staying alive
       * with readiness 503. A duration object or string such as `'10m'`;
       * default 10 minutes.
       */
      timeout?:
        | string
        | {
            hours?: number;
            minutes?: number;
            seconds?: number;
            milliseconds?: number;
          };
    };
  };
}
