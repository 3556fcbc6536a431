package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

class PayloadBindingTest {

    private static final String WEATHER = "urn:example:weather";

    @JacksonXmlRootElement(namespace = WEATHER, localName = "weather")
    record Weather(String city, double celsius) {
    }

    record Unnamed(String a, int b) {
    }

    @JacksonXmlRootElement(namespace = "urn:example:station", localName = "station")
    record Station(@JacksonXmlProperty(isAttribute = true) String id,
                   @JacksonXmlProperty(namespace = "urn:example:geo") String place,
                   String note) {
    }

    private static final PayloadBinding BINDING = new PayloadBinding();

    private static XmlElement weather(String city, String celsius) {
        return XmlElement.builder(WEATHER, "weather")
                .child(XmlElement.builder(WEATHER, "city").text(city).build())
                .child(XmlElement.builder(WEATHER, "celsius").text(celsius).build())
                .build();
    }

    @Test
    void readsAnExtensionElementAndWritesItBackEqual() {
        // <weather xmlns='urn:example:weather'><city>Paris</city><celsius>21.5</celsius></weather>
        XmlElement element = Feed.elements(Feed.decode(Feed.HEADER + "<weather xmlns='urn:example:weather'>"
                + "<city>Paris</city><celsius>21.5</celsius></weather>")).get(0);
        assertThat(element).isEqualTo(weather("Paris", "21.5"));

        Weather w = BINDING.read(element, Weather.class);

        assertThat(w).isEqualTo(new Weather("Paris", 21.5));
        assertThat(BINDING.write(w)).isEqualTo(element);
    }

    @Test
    void keepsTextThatNeedsEscaping() {
        Weather w = new Weather("<Saint-\u00C9tienne> & 'Lyon' \uD83C\uDF26", -3.0);

        XmlElement element = BINDING.write(w);

        assertThat(element).isEqualTo(weather("<Saint-\u00C9tienne> & 'Lyon' \uD83C\uDF26", "-3.0"));
        assertThat(BINDING.read(element, Weather.class)).isEqualTo(w);
    }

    @Test
    void keepsAttributesAndChildNamespacesGivenByAnnotations() {
        Station s = new Station("s1", "Brest", "windy");

        XmlElement element = BINDING.write(s);

        assertThat(element).isEqualTo(XmlElement.builder("urn:example:station", "station").attribute("id", "s1")
                .child(XmlElement.builder("urn:example:geo", "place").text("Brest").build())
                .child(XmlElement.builder("urn:example:station", "note").text("windy").build())
                .build());
        assertThat(BINDING.read(element, Station.class)).isEqualTo(s);
    }

    @Test
    void namesAnUnannotatedTypeWhenAsked() {
        XmlElement element = BINDING.write(new Unnamed("x", 2), "urn:example:u", "u");

        assertThat(element).isEqualTo(XmlElement.builder("urn:example:u", "u")
                .child(XmlElement.builder("urn:example:u", "a").text("x").build())
                .child(XmlElement.builder("urn:example:u", "b").text("2").build())
                .build());
        assertThat(BINDING.read(element, Unnamed.class)).isEqualTo(new Unnamed("x", 2));
    }

    @Test
    void refusesToWriteATypeWithoutNamespace() {
        assertThatThrownBy(() -> BINDING.write(new Unnamed("x", 2)))
                .isInstanceOfSatisfying(PayloadBindingException.class, e -> {
                    assertThat(e.type()).isEqualTo(Unnamed.class);
                    assertThat(e).hasMessageContaining(Unnamed.class.getName()).hasMessageContaining("namespace");
                });
    }

    @Test
    void reportsAnElementThatDoesNotFitTheType() {
        assertThatThrownBy(() -> BINDING.read(weather("Paris", "hot"), Weather.class))
                .isInstanceOfSatisfying(PayloadBindingException.class, e -> {
                    assertThat(e.type()).isEqualTo(Weather.class);
                    assertThat(e).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining(Weather.class.getName())
                            .hasMessageContaining("{urn:example:weather}weather");
                    assertThat(e.getCause()).isNotNull();
                });
    }

    @Test
    void reportsAnElementTheEncoderCannotWrite() {
        XmlElement bad = XmlElement.builder(WEATHER, "weather").child(XmlElement.builder(WEATHER, "city")
                .text("\u0000").build()).build();

        assertThatThrownBy(() -> BINDING.read(bad, Weather.class)).isInstanceOf(PayloadBindingException.class);
    }

    @Test
    void takesJacksonCustomisation() {
        PayloadBinding strict = new PayloadBinding(b -> b.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        XmlElement extra = weather("Paris", "21.5").toBuilder()
                .child(XmlElement.builder(WEATHER, "wind").text("5").build()).build();

        assertThat(BINDING.read(extra, Weather.class)).isEqualTo(new Weather("Paris", 21.5));
        assertThatThrownBy(() -> strict.read(extra, Weather.class)).isInstanceOf(PayloadBindingException.class);
    }

    @Test
    void readsRepeatedChildren() {
        record Forecast(String city, List<Double> day) {
        }
        XmlElement element = XmlElement.builder(WEATHER, "forecast")
                .child(XmlElement.builder(WEATHER, "city").text("Nice").build())
                .child(XmlElement.builder(WEATHER, "day").text("20").build())
                .child(XmlElement.builder(WEATHER, "day").text("22.5").build())
                .build();

        assertThat(BINDING.read(element, Forecast.class)).isEqualTo(new Forecast("Nice", List.of(20.0, 22.5)));
        assertThat(BINDING.write(new Forecast("Nice", List.of(20.0, 22.5)), WEATHER, "forecast"))
                .isEqualTo(element.toBuilder().clearContent()
                        .child(XmlElement.builder(WEATHER, "city").text("Nice").build())
                        .child(XmlElement.builder(WEATHER, "day").text("20.0").build())
                        .child(XmlElement.builder(WEATHER, "day").text("22.5").build())
                        .build());
    }
}
