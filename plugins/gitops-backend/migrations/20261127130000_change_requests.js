// @ts-check

/**
 * Change requests (promote / sync / rollback), one decision per approver, and
 * an append-only event trail.
 *
 * Concurrency is resolved by the database:
 * - `open_slot` holds `<entityRef>|<environment>` while a request is open and
 *   NULL once it is finished; a UNIQUE index on it allows at most one open
 *   request per entity and environment (NULLs never collide, on SQLite and
 *   PostgreSQL alike).
 * - `(change_id, approver)` is UNIQUE: one decision per approver.
 * - `execution_owner` + `execution_lease_until` are the execution claim: a
 *   conditional UPDATE takes it, so two backend processes never run one change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_change_requests', table => {
    table.comment('GitOps change requests (promote, sync, rollback)');
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the change');
    table.string('entity_ref', 255).notNullable().comment('Catalog entity ref');
    table
      .string('environment', 255)
      .notNullable()
      .comment('Target environment');
    table.string('pipeline', 255).notNullable().comment('Pipeline name');
    table.string('kind', 32).notNullable().comment('promote | sync | rollback');
    table.string('state', 32).notNullable().comment('Lifecycle state');
    table
      .string('open_slot', 600)
      .nullable()
      .comment('<entityRef>|<environment> while open, NULL when finished');
    table.string('version', 255).nullable().comment('Version to run');
    table
      .string('from_version', 255)
      .nullable()
      .comment('Version running when created');
    table.string('source_environment', 255).nullable().comment('Promoted from');
    table.text('rollback_to_json').nullable().comment('RollbackTarget as JSON');
    table.string('requested_by', 255).notNullable().comment('User entity ref');
    table.text('reason').nullable().comment('Reason given by the requester');
    table
      .boolean('override')
      .notNullable()
      .defaultTo(false)
      .comment('Emergency override');
    table.integer('required_approvals').notNullable().defaultTo(0);
    table
      .text('approver_refs_json')
      .notNullable()
      .comment(
        'JSON array of user/group refs that may decide (snapshot of policy)',
      );
    table
      .text('checks_json')
      .notNullable()
      .comment('Checks of the last evaluation (JSON)');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('Approval deadline');
    table
      .timestamp('run_after', { useTz: true })
      .nullable()
      .comment('waiting_for_window: earliest time the window opens');
    table
      .string('execution_owner', 255)
      .nullable()
      .comment('Process holding the execution lease');
    table.timestamp('execution_lease_until', { useTz: true }).nullable();
    table
      .string('execution_step', 64)
      .nullable()
      .comment('Last execution step reached');
    table.integer('execution_attempts').notNullable().defaultTo(0);
    table.text('result_json').nullable().comment('ChangeResult as JSON');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['open_slot'], {
      indexName: 'gitops_change_requests_open_slot_uniq',
    });
    table.index(
      ['entity_ref', 'environment'],
      'gitops_change_requests_entity_env_idx',
    );
    table.index(['state'], 'gitops_change_requests_state_idx');
  });

  await knex.schema.createTable('gitops_change_approvals', table => {
    table.comment('One decision per approver per change');
    table.bigIncrements('id').primary().notNullable();
    table
      .string('change_id', 36)
      .notNullable()
      .references('id')
      .inTable('gitops_change_requests')
      .onDelete('CASCADE');
    table.string('approver', 255).notNullable().comment('User entity ref');
    table.string('decision', 16).notNullable().comment('approve | reject');
    table.text('comment').nullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.unique(['change_id', 'approver'], {
      indexName: 'gitops_change_approvals_change_approver_uniq',
    });
  });

  await knex.schema.createTable('gitops_change_events', table => {
    table.comment('Append-only audit and execution trail of changes');
    table.bigIncrements('id').primary().notNullable();
    table
      .string('change_id', 36)
      .notNullable()
      .references('id')
      .inTable('gitops_change_requests')
      .onDelete('CASCADE');
    table.string('type', 64).notNullable();
    table.string('actor', 255).nullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 255).notNullable();
    table.string('from_version', 255).nullable();
    table.string('to_version', 255).nullable();
    table.text('reason').nullable();
    table
      .string('outcome', 32)
      .nullable()
      .comment('success | failure | pending');
    table.text('message').nullable();
    table.text('data_json').nullable();
    table.index(['change_id'], 'gitops_change_events_change_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_change_events');
  await knex.schema.dropTable('gitops_change_approvals');
  await knex.schema.dropTable('gitops_change_requests');
};
