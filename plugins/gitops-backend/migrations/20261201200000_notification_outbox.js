// @ts-check

/**
 * Outbox of change notifications: one row per transition and recipient
 * (unique `dedup_key`), so whichever replica reports a transition, and
 * however often, each recipient is sent one notification.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_notification_outbox', table => {
    table.bigIncrements('id').primary();
    table
      .string('dedup_key', 500)
      .notNullable()
      .unique()
      .comment(
        '<change id>:<transition>:<recipient>; one row per transition and recipient',
      );
    table.string('change_id', 64).notNullable().index();
    table.string('recipient', 255).notNullable().comment('user entity ref');
    table.text('payload_json').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('next_attempt_at', { useTz: true }).notNullable().index();
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('claimed_by', 255).nullable();
    table.timestamp('claimed_until', { useTz: true }).nullable();
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.timestamp('gave_up_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_notification_outbox');
};
