package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NamespaceNamesTest {

    @Test
    void sanitizesTheTestNameIntoADnsLabel() {
        String name = NamespaceNames.forTest("SeedStory-revert_To V2!", new Random(1));
        assertThat(name).matches("t-seedstory-revert-to-v2-[a-z0-9]{5}");
    }

    @Test
    void staysWithin63CharactersAndNeverEndsTheMiddleWithADash() {
        String name = NamespaceNames.forTest("x".repeat(54) + "-" + "y".repeat(40), new Random(2));
        assertThat(name)
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
                .doesNotContain("--");
    }

    @Test
    void aNameWithNothingUsableStillGetsAPrefixAndSuffix() {
        assertThat(NamespaceNames.forTest("___", new Random(3))).matches("t-[a-z0-9]{5}");
    }

    @Test
    void twoTestsWithTheSameNameGetDifferentNamespaces() {
        Random random = new Random(4);
        assertThat(NamespaceNames.forTest("same", random)).isNotEqualTo(NamespaceNames.forTest("same", random));
    }
}
