// @ts-check

/**
 * Health seen for each deployment (one Argo CD history row of one app),
 * whoever made it (our changes, the image updater, a manual sync): the first
 * and last time it was seen Healthy and the first time it was seen Degraded.
 * "Ran healthy in the previous environment for the soak time" is decided from
 * these facts, also after the deployment was replaced.
 *
 * `(instance, application, history_id)` is UNIQUE: one row per deployment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_health_observations', table => {
    table.comment('Health seen per deployment (Argo CD history row)');
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable().comment('Catalog entity ref');
    table.string('environment', 255).notNullable().comment('Environment');
    table.string('instance', 255).notNullable().comment('Argo CD instance');
    table.string('application', 255).notNullable().comment('Argo CD app name');
    table
      .bigInteger('history_id')
      .notNullable()
      .comment('Argo CD status.history id of the deployment');
    table.string('revision', 255).nullable().comment('Synced revision');
    table
      .string('version', 255)
      .nullable()
      .comment('Version identity, if known');
    table.timestamp('deployed_at', { useTz: true }).nullable();
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table
      .timestamp('healthy_since', { useTz: true })
      .nullable()
      .comment(
        'Start of the Healthy period (Argo CD lastTransitionTime or first seen)',
      );
    table
      .timestamp('last_healthy_at', { useTz: true })
      .nullable()
      .comment('Last time it was seen Healthy');
    table
      .timestamp('degraded_at', { useTz: true })
      .nullable()
      .comment('First time it was seen Degraded');
    table.unique(['instance', 'application', 'history_id'], {
      indexName: 'gitops_health_observations_uniq',
    });
    table.index(
      ['entity_ref', 'environment'],
      'gitops_health_observations_env_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_health_observations');
};
