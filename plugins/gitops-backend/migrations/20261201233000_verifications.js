// @ts-check

/**
 * Sign-off decisions on the version running in an environment ("verified",
 * "failed", or "requested" — a new sign-off request that revokes the
 * standing decision). Append-only: the rows are the audit trail.
 *
 * One decision per version and round: `(entity_ref, environment, version,
 * round, position)` is UNIQUE. Position 0 is the request that opened the
 * round, 1 the first decision, 2 a "failed" that revoked a "verified".
 * Two people deciding at once: the second insert loses on the key.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_verification_decisions', table => {
    table.comment('Sign-off decisions per entity, environment and version');
    table.string('id', 36).primary().comment('Decision id (uuid)');
    table.string('entity_ref', 255).notNullable().comment('Catalog entity ref');
    table.string('environment', 255).notNullable().comment('Environment');
    table
      .string('version', 255)
      .notNullable()
      .comment('Version running there when decided');
    table
      .integer('round')
      .notNullable()
      .comment('Sign-off round (a request opens the next)');
    table
      .integer('position')
      .notNullable()
      .comment('0 request, 1 first decision, 2 revoking failed');
    table
      .string('decision', 16)
      .notNullable()
      .comment('verified | failed | requested');
    table.string('decided_by', 255).notNullable().comment('User entity ref');
    table
      .text('decided_by_claims')
      .notNullable()
      .comment('JSON array: the decider’s ownership refs at decision time');
    table.text('comment').nullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.unique(
      ['entity_ref', 'environment', 'version', 'round', 'position'],
      {
        indexName: 'gitops_verification_decisions_slot',
      },
    );
    table.index(
      ['entity_ref', 'environment'],
      'gitops_verification_decisions_env_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_verification_decisions');
};
