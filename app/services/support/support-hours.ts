export interface SupportHours {
  timezone: string;
  openHour: number;
  closeHour: number;
  /** ISO weekdays, 1 = Monday. */
  openDays: number[];
}

export const DEFAULT_SUPPORT_HOURS: SupportHours = {
  timezone: "UTC",
  openHour: 9,
  closeHour: 17,
  openDays: [1, 2, 3, 4, 5],
};

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Whether a human answers at `now`, in the shop's time zone. */
export function withinSupportHours(hours: SupportHours, now: Date): boolean {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: hours.timezone,
    weekday: "short",
    hour: "numeric",
    hourCycle: "h23",
  }).formatToParts(now);
  const weekday = WEEKDAYS.indexOf(parts.find((part) => part.type === "weekday")?.value ?? "") + 1;
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? 0);
  return hours.openDays.includes(weekday) && hour >= hours.openHour && hour < hours.closeHour;
}

/** "Mon–Fri 9:00–17:00 (UTC)", in the shopper's language's weekday names. */
export function describeSupportHours(hours: SupportHours, language: string): string {
  const names = new Intl.DateTimeFormat(language, { weekday: "short", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  const dayName = (iso: number) => names.format(new Date(Date.UTC(2024, 0, iso)));
  const days = [...hours.openDays].sort((a, b) => a - b);
  const contiguous = days.every((day, i) => i === 0 || day === days[i - 1]! + 1);
  const dayText =
    days.length === 0
      ? ""
      : contiguous && days.length > 2
        ? `${dayName(days[0]!)}–${dayName(days.at(-1)!)}`
        : days.map(dayName).join(", ");
  return `${dayText} ${hours.openHour}:00–${hours.closeHour}:00 (${hours.timezone})`.trim();
}
