import { Annotations, Aws, CfnOutput, CfnRule, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { BaocaoConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import type { FunctionSettings } from './constructs/baocao-function.ts';
import type { StatefulStack } from './stateful-stack.ts';

/** The data stores the service stack works on: the public properties of {@link StatefulStack}. */
export type StatefulResources = Pick<
  StatefulStack,
  'plansTable' | 'submissionsTable' | 'reportsBucket' | 'linkKeySecret' | 'sessionKeySecret'
>;

/** Properties of {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  readonly config: BaocaoConfig;
  readonly stateful: StatefulResources;
}

/**
 * Everything that computes: one construct per capability, each owning its functions and
 * granting itself least privilege on the stateful resources. Holds no data, so it can be
 * destroyed and redeployed freely.
 *
 * Adding a capability: create `infra/constructs/<capability>.ts` (a `Construct` that builds its
 * functions with `BaocaoFunction`, passing {@link settings}, and grants through L2 `grant*`
 * methods on {@link stateful}), then instantiate it in the marked place in the constructor.
 */
export class ServiceStack extends Stack {
  readonly config: BaocaoConfig;
  readonly stateful: StatefulResources;
  /** Settings every function receives (time zone, committee name, log level). */
  readonly settings: FunctionSettings;
  /** The HTTP API with the public (unit) and admin (committee) functions. */
  readonly api: Api;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.stateful = props.stateful;
    this.settings = { committeeName: props.config.committeeName, timeZone: props.config.timeZone };

    if (props.config.senderEmailIsPlaceholder) this.refuseDeployWithoutSender();

    this.api = new Api(this, 'Api', {
      settings: this.settings,
      plansTable: props.stateful.plansTable,
      submissionsTable: props.stateful.submissionsTable,
      reportsBucket: props.stateful.reportsBucket,
      linkKeySecret: props.stateful.linkKeySecret,
      sessionKeySecret: props.stateful.sessionKeySecret,
      senderEmail: props.config.senderEmail,
      committeeEmails: props.config.committeeEmails,
      appOrigin: props.config.appOrigin,
    });

    // Capabilities still to come, one construct each in infra/constructs/, in this order:
    //   Mail       — SQS mail queue + DLQ → mailer λ → SES (SENDER_EMAIL); exposes the queue.
    //   Uploads    — reports bucket ObjectCreated → on-upload λ (DLQ) → DynamoDB, mail queue.
    //   Reminders  — EventBridge Scheduler (daily, config.timeZone) → planner λ → mail queue.
    //   Exports    — exporter λ invoked by admin-api → exports/ in the bucket → mail queue.
    //   Monitoring — alarms on DLQs, errors and throttles → SNS → config.alarmEmail.
    // e.g. const mail = new Mail(this, 'Mail', { settings: this.settings, senderEmail: … });

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the HTTP API', value: this.api.url });
    new CfnOutput(this, 'AppOrigin', {
      description: 'Origin of the links in e-mails',
      value: this.api.appOrigin,
    });
    new CfnOutput(this, 'ReportsBucketName', {
      description: 'Bucket of uploaded reports and exports',
      value: props.stateful.reportsBucket.bucketName,
    });
  }

  /**
   * Synthesizing with the placeholder sender is fine; deploying it is not. A CloudFormation rule
   * that can never hold stops the deploy before any resource changes, with this message.
   */
  private refuseDeployWithoutSender(): void {
    const message =
      'senderEmail is not set: deploy with -c senderEmail=<an SES-verified address> (the template was synthesized with the placeholder sender).';
    Annotations.of(this).addWarningV2('baocao:senderEmailPlaceholder', message);
    new CfnRule(this, 'SenderEmailRequired', {
      assertions: [
        {
          // Never true: no region is called this.
          assert: Fn.conditionEquals(Aws.REGION, 'senderEmail-context-value-required'),
          assertDescription: message,
        },
      ],
    });
  }
}
