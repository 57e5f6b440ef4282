package dev.pressline.console.view;

/**
 * One post as the console lists it: what it is, and how far its email has got.
 *
 * @param slug the post
 * @param title its title
 * @param status in words: published, updated, scheduled for …, retracted, feed only
 * @param emailed whether the post is mailed at all (false for feed-only, scheduled and retracted posts)
 * @param recipients how many the mailing was fanned out to; -1 while that is not known
 * @param sent accepted by the SMTP server
 * @param pending not yet sent, failed or bounced
 * @param failed gave up on temporary errors (retry-failed sends them again)
 * @param bounced refused permanently
 * @param possibleDuplicates sent, and possibly twice after a crash
 * @param percent sent, failed and bounced out of the recipients, 0–100
 * @param sentPercent the sent part of the bar, 0–100
 * @param failedPercent the failed and bounced part of the bar, 0–100
 * @param rate messages done per second over the last half minute, in words ("" when idle)
 * @param timeLeft the time left at that rate, in words ("" when done or idle)
 * @param mailing which mailing the figures are of, in words ("first sending", "resent on … after an
 *     update"); the posts list shows the latest
 */
public record PostRow(
    String slug,
    String title,
    String status,
    boolean emailed,
    int recipients,
    int sent,
    int pending,
    int failed,
    int bounced,
    int possibleDuplicates,
    int percent,
    int sentPercent,
    int failedPercent,
    String rate,
    String timeLeft,
    String mailing) {}
