export interface Config {
  gitops?: {
    /**
     * Live updates (Backstage signals) of the GitOps tab, the change review,
     * the approvals inbox and the fleet page. The backend publishes them
     * (`@internal/plugin-gitops-backend`, which declares the same key).
     */
    signals?: {
      /**
       * Whether updates are pushed. Default true. When false, or when the app
       * has no signals plugin, the pages poll every 30 s instead.
       * @visibility frontend
       */
      enabled?: boolean;
    };
  };
}
