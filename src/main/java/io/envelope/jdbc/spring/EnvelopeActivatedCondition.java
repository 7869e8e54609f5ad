package io.envelope.jdbc.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the application asks for envelope-jdbc (see {@link EnvelopeSettings#activatedBecause}). */
final class EnvelopeActivatedCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String because = EnvelopeSettings.activatedBecause(context.getEnvironment());
        return because != null
                ? ConditionOutcome.match("envelope-jdbc applies: " + because)
                : ConditionOutcome.noMatch("envelope-jdbc is not asked for: no jdbc:envelope: URL, no "
                + EnvelopeSettings.CONFIG + " and no settings under " + EnvelopeSettings.PREFIX
                + ". (or " + EnvelopeSettings.ENABLED + " is false)");
    }
}
