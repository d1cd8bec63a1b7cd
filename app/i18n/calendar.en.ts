import type { Widen } from "./widen.ts";
import type { calendarZhCN } from "./calendar.zh-CN.ts";


export const calendarEn: Widen<typeof calendarZhCN> = {
  calendar: {
    nav: "Holiday calendar",
    title: "Holidays and make-up working days",
    intro: "Legal time limits count working days: Monday to Friday work and weekends rest, except the State Council's holidays (rest) and make-up days (work). Enter next year's schedule here when it is published each October–November; deadlines in years not entered show as provisional.",
    year: "Year",
    show: "Show",
    date: "Date",
    weekday: "Weekday",
    kind: "Kind",
    kinds: { REST: "Holiday (rest day)", WORK: "Make-up working day" },
    nameZh: "Name (Chinese)",
    nameEn: "Name (English)",
    add: "Add or change",
    addIntro: "An existing entry for the same date is replaced.",
    remove: "Delete",
    saved: "Saved {{date}}.",
    removed: "Deleted {{date}}.",
    empty: "No schedule entered for this year.",
    lastPublished: "Schedules entered up to {{year}}.",
    weekdays: { "0": "Sun", "1": "Mon", "2": "Tue", "3": "Wed", "4": "Thu", "5": "Fri", "6": "Sat" },
    errors: { date: "Enter a valid date (YYYY-MM-DD)", kindMismatch: "A make-up working day falls on a weekend; check the kind." },
  },
};
