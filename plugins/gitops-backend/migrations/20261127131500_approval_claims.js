// @ts-check

/**
 * Keeps the approver's ownership refs (user + groups) at decision time, so the
 * policy engine can tell which approver group an approval counts for (e.g. the
 * override approvers) without asking the catalog again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_change_approvals', table => {
    table
      .text('approver_claims_json')
      .nullable()
      .comment("JSON array of the approver's ownership refs when deciding");
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_change_approvals', table => {
    table.dropColumn('approver_claims_json');
  });
};
