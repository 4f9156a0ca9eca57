export interface Config {
  app?: {
    /**
     * Local sign-in for the embedded setup: the sign-in page offers these
     * catalog users. When empty or absent, the sign-in page uses GitHub.
     */
    localSignIn?: {
      /**
       * Users offered on the sign-in page.
       * @visibility frontend
       */
      users?: Array<{
        /**
         * User entity name in the default namespace, e.g. `alice`.
         * @visibility frontend
         */
        name: string;
        /**
         * What the user stands for in the example, shown under the name.
         * @visibility frontend
         */
        description?: string;
      }>;
    };
  };
}
