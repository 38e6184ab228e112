package org.attnlab.app.training;

import java.util.List;
import java.util.Optional;
import javafx.beans.property.Property;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

/**
 * One row of the settings sheet: a JavaFX property with a category, a name, a tooltip and,
 * optionally, the values to choose from (a drop-down instead of a text field).
 *
 * @param <T> the value type
 */
public final class SettingItem<T> implements PropertySheet.Item {
    private final String category;
    private final String name;
    private final String description;
    private final Class<T> type;
    private final Property<T> property;
    private final List<T> choices;

    /**
     * @param choices the values offered, or {@code null} for free input
     */
    public SettingItem(String category, String name, String description, Class<T> type, Property<T> property,
                       List<T> choices) {
        this.category = category;
        this.name = name;
        this.description = description;
        this.type = type;
        this.property = property;
        this.choices = choices;
    }

    /** @return the values to choose from, or empty for free input */
    public Optional<List<T>> choices() {
        return Optional.ofNullable(choices);
    }

    @Override
    public Class<?> getType() {
        return type;
    }

    @Override
    public String getCategory() {
        return category;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Object getValue() {
        return property.getValue();
    }

    @Override
    public void setValue(Object value) {
        if (value == null || type.isInstance(value)) {
            property.setValue(type.cast(value));
        } else if (value instanceof Number n && type == Integer.class) {
            property.setValue(type.cast(n.intValue()));
        } else if (value instanceof Number n && type == Double.class) {
            property.setValue(type.cast(n.doubleValue()));
        }
    }

    @Override
    public Optional<ObservableValue<?>> getObservableValue() {
        return Optional.of(property);
    }
}
