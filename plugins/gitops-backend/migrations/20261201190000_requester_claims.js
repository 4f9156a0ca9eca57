// @ts-check

/**
 * Keeps the requester's ownership refs (user + groups) at request time as a
 * column of the change, so the policy re-check does not dig them out of the
 * `created` event. Existing changes are filled from that event (or, when it
 * has none, with the requester's own ref).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_change_requests', table => {
    table
      .text('requester_claims_json')
      .nullable()
      .comment("JSON array of the requester's ownership refs when requesting");
  });
  const changes = await knex('gitops_change_requests').select(
    'id',
    'requested_by',
  );
  for (const change of changes) {
    const created = await knex('gitops_change_events')
      .where({ change_id: change.id, type: 'created' })
      .first('data_json');
    let claims = [change.requested_by];
    try {
      const data = created?.data_json ? JSON.parse(created.data_json) : {};
      if (
        Array.isArray(data.requesterClaims) &&
        data.requesterClaims.every(
          (/** @type {unknown} */ c) => typeof c === 'string',
        )
      ) {
        claims = data.requesterClaims;
      }
    } catch {
      // unreadable event data: keep the requester's own ref
    }
    await knex('gitops_change_requests')
      .where({ id: change.id })
      .update({ requester_claims_json: JSON.stringify(claims) });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_change_requests', table => {
    table.dropColumn('requester_claims_json');
  });
};
