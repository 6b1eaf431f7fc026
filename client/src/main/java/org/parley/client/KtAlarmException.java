package org.parley.client;

/**
 * A key-transparency check failed in a way an honest server never causes. The alarm is already
 * stored with its evidence; nothing was encrypted to the keys in question.
 */
public final class KtAlarmException extends ClientException {
  private final transient KtAlarm alarm;

  public KtAlarmException(KtAlarm alarm) {
    this(alarm.message(), alarm);
  }

  /** An alarm, told as what it stopped ({@code message}). */
  public KtAlarmException(String message, KtAlarm alarm) {
    super(message);
    this.alarm = alarm;
  }

  public KtAlarm alarm() {
    return alarm;
  }
}
