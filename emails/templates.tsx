import { Text } from "@react-email/components";
import type { TFunction } from "i18next";
import { translateParams } from "#app/i18n/i18n.ts";
import { formatDay } from "#app/utils/format.ts";
import { EmailLayout } from "./components/layout.tsx";

interface Base {
  t: TFunction;
  lang: string;
}

export interface VerifyEmailProps {
  name: string;
  url: string;
}
export function VerifyEmail({ t, lang, name, url }: Base & VerifyEmailProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.verify.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.verify.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.verify.text")}</Text>
    </EmailLayout>
  );
}
VerifyEmail.PreviewProps = { name: "张三", url: "http://localhost:3000/verify-email?token=preview" } satisfies VerifyEmailProps;

export interface ResetPasswordProps {
  name: string;
  url: string;
}
export function ResetPassword({ t, lang, name, url }: Base & ResetPasswordProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.reset.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.reset.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.reset.text")}</Text>
    </EmailLayout>
  );
}
ResetPassword.PreviewProps = { name: "张三", url: "http://localhost:3000/reset-password?token=preview" } satisfies ResetPasswordProps;

export interface InviteProps {
  name: string;
  inviter: string;
  role: string;
  url: string;
}
export function Invite({ t, lang, name, inviter, role, url }: Base & InviteProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.invite.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.invite.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.invite.text", { inviter, role: t(`roles.${role}`) })}</Text>
    </EmailLayout>
  );
}
Invite.PreviewProps = { name: "李四", inviter: "张三", role: "APPLICANT", url: "http://localhost:3000/invite?token=preview" } satisfies InviteProps;

export interface NotificationProps {
  name: string;
  kind: string;
  params: Record<string, string>;
  url: string;
}
export function Notification({ t, lang, name, kind, params: raw, url }: Base & NotificationProps) {
  const params = translateParams(t, raw, lang);
  return (
    <EmailLayout lang={lang} preview={t(`notify.${kind}.title`, params)} greeting={t("email.greeting", { name })} actionLabel={t("email.notification.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t(`notify.${kind}.text`, params)}</Text>
    </EmailLayout>
  );
}
Notification.PreviewProps = {
  name: "王晓明",
  kind: "gapFlagged",
  params: { number: "GL-2026-000001", product: "一次性使用无菌注射器", item: "3.4" },
  url: "http://localhost:3000/dossiers/preview",
} satisfies NotificationProps;

export interface DeferralNoticeProps {
  name: string;
  number: string;
  product: string;
  items: { code: string; titleZh: string; titleEn: string; dueDate: string }[];
  graceWorkingDays: number;
  url: string;
}
/** 容缺受理通知书 by email: the items accepted for later supply and their due dates; the printable notice is in the portal. */
export function DeferralNotice({ t, lang, name, number, product, items, graceWorkingDays, url }: Base & DeferralNoticeProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.deferralNotice.subject", { number })} greeting={t("email.greeting", { name })} actionLabel={t("email.deferralNotice.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.deferralNotice.text", { number, product })}</Text>
      {items.map((i) => (
        <Text key={i.code}>
          {t("email.deferralNotice.item", { code: i.code, title: lang === "en" ? i.titleEn : i.titleZh, due: formatDay(i.dueDate, lang) })}
        </Text>
      ))}
      <Text>{t("email.deferralNotice.consequence", { grace: graceWorkingDays })}</Text>
    </EmailLayout>
  );
}
DeferralNotice.PreviewProps = {
  name: "王晓明",
  number: "GL-2026-000001",
  product: "一次性使用无菌注射器",
  items: [{ code: "3.4", titleZh: "产品检验报告", titleEn: "Product test report", dueDate: "2026-12-31" }],
  graceWorkingDays: 15,
  url: "http://localhost:3000/dossiers/preview/letters/preview",
} satisfies DeferralNoticeProps;
