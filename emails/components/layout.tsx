import { Body, Button, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/** The frame every Greenlane email shares: brand bar, greeting, body, one action button, footer. */
export function EmailLayout(props: {
  lang: string;
  preview: string;
  greeting: string;
  actionLabel?: string;
  actionUrl?: string;
  footer: string;
  children: ReactNode;
}) {
  return (
    <Html lang={props.lang}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: "#f6f8fa", fontFamily: "'PingFang SC','Microsoft YaHei',Arial,sans-serif", margin: 0 }}>
        <Container style={{ maxWidth: "560px", margin: "24px auto", backgroundColor: "#ffffff", border: "1px solid #d0d7de", borderRadius: "6px" }}>
          <Section style={{ backgroundColor: "#0f4d2e", color: "#ffffff", padding: "12px 24px", borderRadius: "6px 6px 0 0" }}>
            <Text style={{ margin: 0, fontSize: "18px", fontWeight: 700, color: "#ffffff" }}>绿通 Greenlane</Text>
          </Section>
          <Section style={{ padding: "8px 24px 16px" }}>
            <Text style={{ fontSize: "15px" }}>{props.greeting}</Text>
            {props.children}
            {props.actionUrl && props.actionLabel ? (
              <>
                <Button href={props.actionUrl} style={{ backgroundColor: "#1b7f4e", color: "#ffffff", padding: "10px 18px", borderRadius: "4px", fontWeight: 600 }}>
                  {props.actionLabel}
                </Button>
                <Text style={{ fontSize: "13px", color: "#4b5563", wordBreak: "break-all" }}>{props.actionUrl}</Text>
              </>
            ) : null}
            <Hr />
            <Text style={{ fontSize: "12px", color: "#4b5563" }}>{props.footer}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}
