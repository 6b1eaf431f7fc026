package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every 4xx/5xx answer. {@code missingDevices}, {@code extraDevices} and {@code
 * staleDevices} are present only with {@link ErrorCode#STALE_DEVICES}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(
    String code,
    String message,
    List<Integer> missingDevices,
    List<Integer> extraDevices,
    List<Integer> staleDevices) {

  public static ErrorResponse of(ErrorCode code, String message) {
    return new ErrorResponse(code.wireName(), message, null, null, null);
  }

  public static ErrorResponse staleDevices(
      List<Integer> missing, List<Integer> extra, List<Integer> stale) {
    return new ErrorResponse(
        ErrorCode.STALE_DEVICES.wireName(),
        "the device list you sent to is out of date; fetch the missing devices' keys and drop the extra ones",
        List.copyOf(missing),
        List.copyOf(extra),
        List.copyOf(stale));
  }
}
