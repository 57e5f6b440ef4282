package dev.pressline.publisher.deliverylog;

import java.util.List;

/**
 * Where the newsletter of one post stands.
 *
 * @param slug the post
 * @param fanOut what the fan-out marker says ("fanned out to N subscribers", "scheduled for …"), or empty
 * @param sent how many the SMTP server accepted
 * @param pending how many are being sent or wait for a retry
 * @param failed how many gave up on temporary errors (retry-failed sends them again)
 * @param bounced how many were refused permanently
 * @param possibleDuplicates recipients who may have got the post twice after a mailer crash
 * @param failedRecipients who failed, with the last reply
 * @param bouncedRecipients who bounced, with the reply
 * @param pendingRecipients who is still pending
 */
public record PostReport(
    String slug,
    String fanOut,
    int sent,
    int pending,
    int failed,
    int bounced,
    List<String> possibleDuplicates,
    List<String> failedRecipients,
    List<String> bouncedRecipients,
    List<String> pendingRecipients) {}
