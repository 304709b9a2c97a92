import { mapWithLimit } from '../shared/batching.js';
import type { AutomationStop, ChannelStopError } from '../../app/ports.js';
import { isTemporary, readHttpFailure } from '../shared/http-failure.js';
import { subscriberHash } from './client.js';
import { mailchimpStop, problemText } from './errors.js';
import type { PushTarget } from './push.js';

/** Mailchimp accepts 10 simultaneous connections per key; removals stay well below. */
const PARALLEL = 4;

/**
 * Sets every dunning stage tag of these members inactive (POST …/members/{hash}/tags, 204), keeping
 * the merchant's own tags. A refused key or account stops with a ChannelStopError; other failures
 * are reported per member, temporary (429, 5xx, no answer) or permanent. Removing a tag that is not
 * there does no harm, so a removal whose answer was lost is simply repeated by a later run.
 */
export async function removeTags(target: PushTarget, tags: readonly string[], emails: readonly string[]): Promise<AutomationStop[]> {
  if (emails.length === 0) return [];
  const unreachable = await checkAudience(target);
  if (unreachable !== undefined) return emails.map((email) => ({ email, state: 'failed', permanent: false, error: unreachable }));
  const body = { tags: tags.map((name) => ({ name, status: 'inactive' })) };
  let stop: ChannelStopError | undefined;
  const results = await mapWithLimit(emails, PARALLEL, async (email): Promise<AutomationStop> => {
    if (stop !== undefined) return { email, state: 'failed', permanent: false, error: `not attempted: ${stop.message}` };
    try {
      await target.client.lists.updateListMemberTags(target.listId, subscriberHash(email), body);
      return { email, state: 'removed' };
    } catch (error) {
      const failure = readHttpFailure(error, Date.now());
      if (failure.status === 404) return { email, state: 'not_in_audience' };
      stop ??= mailchimpStop(failure, target.listId, false);
      return { email, state: 'failed', permanent: !isTemporary(failure.status), error: problemText(failure) };
    }
  });
  if (stop !== undefined) throw stop;
  return results;
}

/**
 * Mailchimp answers 404 both for a member that is not in the audience and for an audience that does
 * not exist. Checking the audience first keeps a wrong "mailchimp.listId" from passing every removal
 * as "not in the audience", which would never be repeated. Returns why Mailchimp was unreachable.
 */
async function checkAudience(target: PushTarget): Promise<string | undefined> {
  try {
    await target.client.lists.getList(target.listId, { fields: ['id'] });
    return undefined;
  } catch (error) {
    const failure = readHttpFailure(error, Date.now());
    const stop = mailchimpStop(failure, target.listId);
    if (stop !== undefined) throw stop;
    return problemText(failure);
  }
}
