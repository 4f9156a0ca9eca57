// @ts-check

/**
 * The deployment record: one row per deployment the product makes (what ran
 * where, since when, healthy since when, who asked and who approved), joined
 * to Argo CD's history by `history_id` / `synced_revision`.
 *
 * - `change_id` is UNIQUE: a change deploys once, so recording it again
 *   (a resumed execution) updates the same row instead of adding one.
 * - Times are timestamps with time zone on PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_deployments', table => {
    table.comment('Deployments made by GitOps changes');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('change_id', 36)
      .notNullable()
      .unique('gitops_deployments_change_id_uniq')
      .comment('The change request that deployed (one deployment per change)');
    table.string('kind', 32).notNullable().comment('promote | sync | rollback');
    table.string('entity_ref', 255).notNullable().comment('Catalog entity ref');
    table.string('environment', 255).notNullable().comment('Environment');
    table.string('pipeline', 255).notNullable().comment('Pipeline name');
    table.string('instance', 255).notNullable().comment('Argo CD instance');
    table.string('application', 255).notNullable().comment('Argo CD app name');
    table
      .string('app_namespace', 255)
      .nullable()
      .comment('Namespace of the Application object');
    table.string('version', 255).nullable().comment('Version deployed');
    table
      .string('from_version', 255)
      .nullable()
      .comment('Version running before');
    table
      .string('git_commit', 64)
      .nullable()
      .comment('Commit written to the GitOps repository (git write-back)');
    table
      .bigInteger('history_id')
      .nullable()
      .comment('Argo CD status.history id of the sync');
    table
      .string('synced_revision', 255)
      .nullable()
      .comment('Revision Argo CD synced (commit SHA or chart version)');
    table
      .string('outcome', 32)
      .notNullable()
      .comment('running | succeeded | degraded | failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .timestamp('healthy_since', { useTz: true })
      .nullable()
      .comment('First time the deployment was seen Healthy');
    table
      .timestamp('replaced_at', { useTz: true })
      .nullable()
      .comment('When a later deployment to the same environment finished');
    table.string('requested_by', 255).notNullable().comment('User entity ref');
    table
      .text('approvers_json')
      .notNullable()
      .comment('JSON array of approving user entity refs');
    table
      .boolean('override')
      .notNullable()
      .defaultTo(false)
      .comment('Ran under an emergency override');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'environment', 'started_at'],
      'gitops_deployments_env_idx',
    );
    table.index(
      ['instance', 'application', 'history_id'],
      'gitops_deployments_history_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_deployments');
};
