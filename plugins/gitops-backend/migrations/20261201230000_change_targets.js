// @ts-check

/**
 * Fixes where a change runs when it is created (`target_json`: Argo CD
 * application, instance, write-back, binding) and keeps one open change per
 * Argo CD application and environment whichever entity asks (`app_slot`,
 * unique; NULL when the change is closed, like `open_slot`). Changes created
 * before have no target: they keep the per-entity rule only.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_change_requests', table => {
    table
      .text('target_json')
      .nullable()
      .comment('JSON: application, instance, write-back fixed at creation');
    table
      .string('app_slot', 600)
      .nullable()
      .comment(
        '<instance>/<appNamespace>/<application>|<environment> while the change is open, else NULL',
      );
    table.unique(['app_slot'], {
      indexName: 'gitops_change_requests_app_slot_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_change_requests', table => {
    table.dropUnique(['app_slot'], 'gitops_change_requests_app_slot_uniq');
    table.dropColumn('app_slot');
    table.dropColumn('target_json');
  });
};
